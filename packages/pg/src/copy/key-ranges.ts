import type pg from 'pg';
import { quoteIdent, quoteLiteral } from '../quote.js';
import type { ColumnInfo, TableInfo } from './types.js';

/** Key columns with their types and whether they need `COLLATE "C"` to order the same everywhere. */
export function keyColumnInfo(table: TableInfo): ColumnInfo[] {
  return table.keyColumns.map((name) => {
    const column = table.columns.find((c) => c.name === name);
    if (!column) throw new Error(`key column ${name} of ${table.key} not found`);
    return column;
  });
}

/**
 * The key as an SQL row expression. With `collateC`, text-like columns compare byte-wise, so two
 * servers with different default collations agree on order and on range membership.
 */
export function keyExpression(columns: ColumnInfo[], collateC: boolean): string {
  const parts = columns.map((c) => `${quoteIdent(c.name)}${collateC && c.collatable ? ' COLLATE "C"' : ''}`);
  return `(${parts.join(', ')})`;
}

/** One key as an SQL row of typed literals (with `collateC`, text-like ones byte-ordered). */
export function boundLiteral(columns: ColumnInfo[], values: string[], collateC: boolean): string {
  const parts = columns.map((c, i) => {
    const cast = `${quoteLiteral(values[i] ?? '')}::${c.type}`;
    return collateC && c.collatable ? `${cast} COLLATE "C"` : cast;
  });
  return `(${parts.join(', ')})`;
}

/** `ORDER BY` list for the key. */
export function keyOrder(columns: ColumnInfo[], collateC: boolean): string {
  return columns
    .map((c) => `${quoteIdent(c.name)}${collateC && c.collatable ? ' COLLATE "C"' : ''}`)
    .join(', ');
}

/**
 * Split points of the key: each is the first key (as text under the fixed settings) of one of
 * `parts` equal slices, the first slice's left out. With `samplePercent` the slices come from a
 * TABLESAMPLE, which is cheap and good enough for balancing copy work.
 */
export async function keySplitPoints(
  client: pg.Client,
  table: TableInfo,
  parts: number,
  options: { collateC: boolean; samplePercent?: number; tableSample?: boolean },
): Promise<string[][]> {
  if (parts < 2 || table.keyColumns.length === 0) return [];
  const columns = keyColumnInfo(table);
  const texts = columns.map((c) => `${quoteIdent(c.name)}::text`).join(', ');
  const order = keyOrder(columns, options.collateC);
  // Before 9.5 there is no TABLESAMPLE: a random filter still reads the table once, but sorts
  // only the sample.
  const percent = options.samplePercent;
  const sample =
    percent === undefined || percent >= 100
      ? ''
      : options.tableSample === false
        ? ` WHERE random() < ${Math.max(percent, 0.0001) / 100}`
        : ` TABLESAMPLE SYSTEM (${Math.max(percent, 0.0001)})`;
  // array_to_json, not json_build_array: 9.3 has no json_build_array.
  const { rows } = await client.query<{ bound: string }>(
    `SELECT DISTINCT ON (tile) array_to_json(ARRAY[${texts}])::text AS bound
       FROM (SELECT *, ntile(${Math.floor(parts)}) OVER (ORDER BY ${order}) AS tile
               FROM ONLY ${table.key}${sample}) s
      WHERE tile > 1
      ORDER BY tile, ${order}`,
  );
  return rows.map((r) => JSON.parse(r.bound) as string[]);
}

/** Conditions for the ranges between split points: (-inf, p1), [p1, p2), ..., [pn, +inf). */
export function keyRangePredicates(table: TableInfo, points: string[][], collateC: boolean): string[] {
  const columns = keyColumnInfo(table);
  const key = keyExpression(columns, collateC);
  const bounds = points.map((p) => boundLiteral(columns, p, collateC));
  const predicates: string[] = [];
  for (let i = 0; i <= bounds.length; i++) {
    const lower = i > 0 ? `${key} >= ${bounds[i - 1]}` : undefined;
    const upper = i < bounds.length ? `${key} < ${bounds[i]}` : undefined;
    predicates.push([lower, upper].filter(Boolean).join(' AND ') || 'true');
  }
  return predicates;
}
