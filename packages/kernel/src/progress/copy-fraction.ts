/** Figures of a copy in progress, as the copy-progress events give them. */
export interface CopyFigures {
  bytes: number;
  /** An estimate from the tables' sizes on disk, not the bytes COPY will send. */
  totalBytes: number;
  tablesDone: number;
  tablesTotal: number;
}

/**
 * How far a copy has come, 0 to 1: a finished copy (every table done) is 1 whatever the estimate
 * said; an unfinished one never shows 1. Every display of the copy's progress reads it here.
 */
export function copyFraction(c: CopyFigures): number {
  if (c.tablesTotal > 0 && c.tablesDone === c.tablesTotal) return 1;
  return c.totalBytes > 0 ? Math.min(0.99, c.bytes / c.totalBytes) : 0;
}
