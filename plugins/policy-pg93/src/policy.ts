import { FEATURE_SINCE } from '@pgshift/pg';
import type { VersionCapabilities, VersionPolicy } from '@pgshift/plugin-api';

export const INCREMENTAL_UNAVAILABLE =
  'PostgreSQL before 9.4 has no logical decoding, so its changes cannot be followed; set `mode: full` to copy it in full (writes to the source during the copy are not carried over), or upgrade the source to 9.4 or later first';

/** Servers before 9.4: full copy only. */
export class Pg93Policy implements VersionPolicy {
  readonly name = 'policy-pg93';
  /** Up to logical decoding (9.4): earlier servers can only be copied in full. */
  readonly covers = { min: 0, max: FEATURE_SINCE.logicalDecoding };

  capabilities(_serverVersionNum: number): VersionCapabilities {
    return {
      fullCopy: true,
      incremental: false,
      incrementalUnavailableReason: INCREMENTAL_UNAVAILABLE,
      // No slot is ever created; the field is required, and 'keyword' is the older form.
      slotSnapshotSyntax: 'keyword',
    };
  }
}
