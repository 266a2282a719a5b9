import type pg from 'pg';
import { boundLiteral, keyColumnInfo, keyExpression } from '../copy/key-ranges.js';
import type { TableInfo } from '../copy/types.js';
import { quoteIdent } from '../quote.js';
import { rowHashExpression } from './row-text.js';

/** One row read by its key: its hash (verify's per-row hash) and, on the source, its version. */
export interface KeyedRow {
  hash: string;
  /** `xmin:ctid`: any committed update or delete of the row, even one that restores its values, changes it. */
  version: string;
  /** Each written column's text (generated ones left out), for a repair. */
  values: (string | null)[];
}

/** A key's text form, as verify names keys: the JSON array of each key column's text. */
export function keyText(key: readonly string[]): string {
  return JSON.stringify(key);
}

/** The columns a repair writes: every column but the generated ones, which the target computes. */
export function writtenColumns(table: TableInfo) {
  return table.columns.filter((c) => !c.generated);
}

/**
 * Reads the rows of `table` with the given keys, in one statement (so in one snapshot), as a map
 * from keyText to the row; a key without a row is absent from it.
 */
export async function readKeyedRows(
  client: pg.Client,
  table: TableInfo,
  keys: readonly (readonly string[])[],
): Promise<Map<string, KeyedRow>> {
  const rows = new Map<string, KeyedRow>();
  if (keys.length === 0) return rows;
  const keyColumns = keyColumnInfo(table);
  const keyList = keys.map((k) => boundLiteral(keyColumns, [...k], false)).join(', ');
  const keyArray = keyColumns.map((c) => `${quoteIdent(c.name)}::text`).join(', ');
  const values = writtenColumns(table)
    .map((c) => `${quoteIdent(c.name)}::text`)
    .join(', ');
  const { rows: found } = await client.query<{ k: string; h: string; v: string; vals: string }>(
    `SELECT array_to_json(ARRAY[${keyArray}])::text AS k, ${rowHashExpression(table.columns)} AS h,
            xmin::text || ':' || ctid::text AS v, array_to_json(ARRAY[${values}]::text[])::text AS vals
       FROM ONLY ${table.key} WHERE ${keyExpression(keyColumns, false)} IN (${keyList})`,
  );
  // array_to_json spaces nothing, as JSON.stringify: both name a key alike.
  for (const r of found)
    rows.set(keyText(JSON.parse(r.k) as string[]), {
      hash: r.h,
      version: r.v,
      // JSON, not a text[] (the sessions parse no arrays): each value's text, NULL as null.
      values: JSON.parse(r.vals) as (string | null)[],
    });
  return rows;
}
