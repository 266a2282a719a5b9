import { FEATURE_SINCE, hasFeature } from '@pgshift/pg';
import type { VersionCapabilities, VersionPolicy } from '@pgshift/plugin-api';

/** 10 and later: the built-in pgoutput plugin with a publication. */
export class Pg10Policy implements VersionPolicy {
  readonly name = 'policy-pg10';
  readonly covers = { min: FEATURE_SINCE.publications };

  capabilities(serverVersionNum: number): VersionCapabilities {
    return {
      fullCopy: true,
      incremental: true,
      decoder: { outputPlugin: 'pgoutput', format: 'pgoutput', publication: true },
      slotSnapshotSyntax: hasFeature(serverVersionNum, 'slotOptionList') ? 'option-list' : 'keyword',
    };
  }
}
