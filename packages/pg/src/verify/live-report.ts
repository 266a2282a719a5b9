import type { RepairOutcome } from './repair-row.js';
import type { RowDifference } from './report.js';

/** One row live verify confirmed different, and what --repair did about it. */
export interface LiveRowDifference {
  /** The key range it lies in. */
  range: string;
  key: string[];
  problem: RowDifference['problem'];
  /** With --repair: what was written (or why nothing was). */
  repair?: RepairOutcome;
  /** Why a repair failed. */
  repairError?: string;
}

export interface LiveTableVerification {
  table: string;
  chunks: number;
  /** Rows that differed between the two aligned reads (in flight or not). */
  candidates: number;
  differences: LiveRowDifference[];
  /** Rows that kept changing on the source while being confirmed: no verdict. */
  unsettled: { range: string; key: string[] }[];
  /** Ranges that differed but were too large to compare row by row, or had more differing rows than were examined. */
  unexamined: { range: string; rows: number }[];
  error?: string;
}

export interface LiveVerifyReport {
  database: string;
  /** The source snapshot's position: the consistent point of the pass's slot. */
  sourceAt: string;
  /** The target's apply position when its snapshot was taken (at or after sourceAt). */
  targetAt: string;
  tables: LiveTableVerification[];
  /** Tables without a key: rows cannot be told apart, so they are not checked live. */
  notChecked: string[];
  repair: boolean;
  /** No difference left: none found, or every one repaired. */
  ok: boolean;
}

/** Whether a difference is still there after the run. */
export function stillDifferent(d: LiveRowDifference): boolean {
  return (
    d.repair === undefined || d.repair === 'busy' || d.repair === 'source-changed' || d.repair === 'failed'
  );
}

/** Whether the run wrote the source's row for this difference (not: sync brought it meanwhile). */
export function repairedRow(d: LiveRowDifference): boolean {
  return d.repair === 'inserted' || d.repair === 'updated' || d.repair === 'deleted';
}

/** One line per finding, then the verdict. */
export function formatLiveVerifyReport(report: LiveVerifyReport): string {
  const lines = [
    `database ${report.database}: source read at ${report.sourceAt}, target at apply position ${report.targetAt}`,
  ];
  for (const t of report.tables) {
    if (t.error) lines.push(`  table ${t.table}: ${t.error}`);
    const findings = t.differences.length + t.unsettled.length + t.unexamined.length;
    if (findings === 0) continue;
    lines.push(`  table ${t.table}:`);
    const inFlight = t.candidates - t.differences.length - t.unsettled.length;
    if (inFlight > 0)
      lines.push(
        `    ${inFlight} row(s) differed between the two reads only because sync had applied newer changes`,
      );
    for (const d of t.differences.slice(0, 50)) {
      const done =
        d.repair === undefined
          ? ''
          : `: ${repairText(d.repair)}${d.repairError ? ` (${d.repairError})` : ''}`;
      lines.push(`    differs in ${d.range}: key (${d.key.join(', ')}) ${d.problem} on the target${done}`);
    }
    if (t.differences.length > 50) lines.push(`    ... and ${t.differences.length - 50} more rows`);
    for (const u of t.unsettled.slice(0, 20))
      lines.push(`    unsettled in ${u.range}: key (${u.key.join(', ')}) kept changing on the source`);
    for (const u of t.unexamined)
      lines.push(
        `    not examined row by row in ${u.range}: ${u.rows} rows differ or the range is too large`,
      );
  }
  if (report.notChecked.length > 0)
    lines.push(
      `  not checked live (no primary key or unique key on NOT NULL columns): ${report.notChecked.join(', ')}`,
    );
  const repaired = report.tables.flatMap((t) => t.differences).filter(repairedRow).length;
  if (report.repair)
    lines.push(`  repaired ${repaired} row(s), recorded in pgshift.verify_repairs on the target`);
  lines.push(report.ok ? 'result: no differences left' : 'result: DIFFERENT');
  return lines.join('\n');
}

function repairText(outcome: RepairOutcome): string {
  switch (outcome) {
    case 'already-same':
      return 'sync brought it meanwhile';
    case 'source-changed':
      return 'not repaired: the source row changed meanwhile (run again)';
    case 'busy':
      return 'not repaired: the row stayed locked by sync (run again)';
    case 'failed':
      return 'not repaired: the target refused the write';
    default:
      return `repaired (${outcome})`;
  }
}
