import type { VersionCapabilities, VersionPolicy } from '@pgshift/plugin-api';

/** `CREATE_REPLICATION_SLOT ... (SNAPSHOT 'export')` is accepted from 15 on. */
export const OPTION_LIST_SYNTAX_MIN = 150000;

/** 10 and later: the built-in pgoutput plugin with a publication. */
export class Pg10Policy implements VersionPolicy {
  readonly name = 'policy-pg10';
  readonly covers = { min: 100000 };

  capabilities(serverVersionNum: number): VersionCapabilities {
    return {
      fullCopy: true,
      incremental: true,
      decoder: { outputPlugin: 'pgoutput', format: 'pgoutput', publication: true },
      slotSnapshotSyntax: serverVersionNum >= OPTION_LIST_SYNTAX_MIN ? 'option-list' : 'keyword',
    };
  }
}
