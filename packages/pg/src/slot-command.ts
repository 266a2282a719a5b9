import { quoteIdent } from './quote.js';

/** How a server's CREATE_REPLICATION_SLOT asks for an exported snapshot (see the version policies). */
export type SlotSnapshotSyntax = 'option-list' | 'keyword' | 'implicit';

/**
 * The walsender's CREATE_REPLICATION_SLOT command for a logical slot that exports a snapshot: 15+
 * take `(SNAPSHOT 'export')`, 10 to 14 `EXPORT_SNAPSHOT`, 9.4 to 9.6 export one without a word.
 * `temporary` (10 and later) makes a slot the server drops when the connection ends.
 */
export function createSlotCommand(
  slotName: string,
  outputPlugin: string,
  syntax: SlotSnapshotSyntax,
  temporary = false,
): string {
  const head = `CREATE_REPLICATION_SLOT ${quoteIdent(slotName)}${temporary ? ' TEMPORARY' : ''} LOGICAL ${quoteIdent(outputPlugin)}`;
  if (syntax === 'option-list') return `${head} (SNAPSHOT 'export')`;
  return syntax === 'keyword' ? `${head} EXPORT_SNAPSHOT` : head;
}
