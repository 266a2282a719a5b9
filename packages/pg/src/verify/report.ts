import type { LargeObjectVerification } from './large-objects.js';

/** What verify found for one table. */
export interface TableVerification {
  table: string;
  sourceRows: number;
  targetRows: number;
  /** `key-ranges` when the table has a key and was compared chunk by chunk; `whole` otherwise. */
  method: 'key-ranges' | 'whole';
  chunks: number;
  differences: RangeDifference[];
  /** The table could not be read on one side (missing, columns differ). */
  error?: string;
}

/** A key range whose rows differ, with both sides' counts. */
export interface RangeDifference {
  /** The range as SQL-ish text, e.g. `(id) >= ('100') AND (id) < ('200')`, or `whole table`. */
  range: string;
  lower?: string[];
  upper?: string[];
  sourceRows: number;
  targetRows: number;
  /**
   * The range compared row by row (key and row hash on each side): the first rows that differ, in
   * key order. Absent for a table without key, or a range too large to list.
   */
  rows?: RowDifference[];
  /** How many rows of the range differ in all (`rows` names the first few). */
  rowsDiffering?: number;
}

/** One row of a differing range, by its key (each column's text): what the target has of it. */
export interface RowDifference {
  key: string[];
  /** `missing` on the target, `extra` on the target, or `different` contents. */
  problem: 'missing' | 'extra' | 'different';
}

export interface SequenceVerification {
  sequence: string;
  source?: string;
  target?: string;
}

export interface SchemaDifference {
  kind: string;
  name: string;
  /** `missing` on the target, `extra` on the target, or `different` definitions. */
  problem: 'missing' | 'extra' | 'different';
  source?: string;
  target?: string;
}

export interface VerifyReport {
  database: string;
  ok: boolean;
  tables: TableVerification[];
  sequences: SequenceVerification[];
  schema: SchemaDifference[];
  /** Schema objects were compared (a reader was available). */
  schemaCompared: boolean;
  /** Large objects' contents, when compared. */
  largeObjects?: LargeObjectVerification;
}

/** A short human summary: one line per difference, then a verdict. */
export function formatVerifyReport(report: VerifyReport): string {
  const lines: string[] = [];
  const tablesOk = report.tables.filter((t) => !t.error && t.differences.length === 0).length;
  lines.push(`database ${report.database}: ${tablesOk}/${report.tables.length} tables identical`);
  for (const d of report.schema) {
    lines.push(`  schema ${d.kind} ${d.name}: ${d.problem}`);
  }
  for (const t of report.tables) {
    if (t.error) {
      lines.push(`  table ${t.table}: ${t.error}`);
      continue;
    }
    if (t.differences.length === 0) continue;
    lines.push(`  table ${t.table}: source ${t.sourceRows} rows, target ${t.targetRows} rows`);
    for (const d of t.differences.slice(0, 10)) {
      lines.push(`    differs in ${d.range}: source ${d.sourceRows} rows, target ${d.targetRows} rows`);
      for (const r of d.rows ?? []) lines.push(`      key (${r.key.join(', ')}): ${r.problem}`);
      const more = (d.rowsDiffering ?? 0) - (d.rows?.length ?? 0);
      if (more > 0) lines.push(`      ... and ${more} more rows`);
    }
    if (t.differences.length > 10) lines.push(`    ... and ${t.differences.length - 10} more ranges`);
  }
  const lo = report.largeObjects;
  if (lo?.error) lines.push(`  large objects: could not be compared: ${lo.error}`);
  else if (lo && lo.differences.length > 0) {
    lines.push(`  large objects: ${lo.sourceCount} on the source, ${lo.targetCount} on the target`);
    for (const d of lo.differences.slice(0, 10))
      lines.push(
        d.problem === 'different'
          ? `    large object ${d.oid}: contents differ (source ${d.sourceBytes} bytes, target ${d.targetBytes} bytes)`
          : `    large object ${d.oid}: ${d.problem} on the target`,
      );
    if (lo.differences.length > 10) lines.push(`    ... and ${lo.differences.length - 10} more`);
  }
  for (const s of report.sequences) {
    lines.push(
      `  sequence ${s.sequence}: source ${s.source ?? '(missing)'}, target ${s.target ?? '(missing)'}`,
    );
  }
  lines.push(report.ok ? 'result: identical' : 'result: DIFFERENT');
  return lines.join('\n');
}
