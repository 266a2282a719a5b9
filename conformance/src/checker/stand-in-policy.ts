import type { VersionCapabilities, VersionPolicy } from '@pgshift/plugin-api';

/**
 * The capabilities a PostgreSQL 10+ source has under pgshift's own policy (pgoutput with a
 * publication). Checker suites use it when an arrangement names no policy, so the suite does not
 * depend on a policy plugin.
 * It repeats policy-pg10's answer on purpose: the published suite must not depend on that plugin.
 */
export const standInPolicy: VersionPolicy = {
  name: 'conformance-stand-in-pg10',
  covers: { min: 100000 },
  capabilities(serverVersionNum: number): VersionCapabilities {
    return {
      fullCopy: true,
      incremental: true,
      decoder: { outputPlugin: 'pgoutput', format: 'pgoutput', publication: true },
      slotSnapshotSyntax: serverVersionNum >= 150000 ? 'option-list' : 'keyword',
    };
  },
};
