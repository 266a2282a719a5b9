import type pg from 'pg';
import { keyColumnInfo, keyRangePredicates, keySplitPoints } from '../copy/key-ranges.js';
import type { TableInfo } from '../copy/types.js';
import { quoteIdent } from '../quote.js';
import { hasFeature } from '../server-features.js';
import { inSavepoint } from '../transaction.js';
import type { RangeDifference, RowDifference, TableVerification } from './report.js';
import { hashSumsSql, rowHashExpression } from './row-text.js';

/** A pair of sessions, one per side, each in its side's verify snapshot. */
export interface SessionPair {
  source: pg.Client;
  target: pg.Client;
}

/** One range of one table to compare: the whole table (no key) or a key range. */
interface Unit {
  table: TableInfo;
  result: TableVerification;
  index: number;
  predicate?: string;
  lower?: string[];
  upper?: string[];
}

/** Rows of a differing range compared row by row, at most (more: the range alone is reported). */
const NARROW_MAX_ROWS = 200_000;
/** Row differences named per range, at most. */
const NAMED_ROWS = 20;

/**
 * Compares the rows of `tables` over `pairs` sessions at once. Each table is cut into key ranges
 * of about `chunkRows` rows (bounds from a sample of the source's keys, by the copy's own
 * keySplitPoints, ordered byte-wise with COLLATE "C" so both sides agree on membership); a table
 * without key is one range. For each range both servers compute the count and the sums of the
 * row hashes at the same time; a range that differs is compared row by row (key and hash) to name
 * the keys missing, extra or different on the target (the first `namedRows` of each range).
 */
export async function compareTables(
  pairs: readonly SessionPair[],
  tables: readonly TableInfo[],
  chunkRows: number,
  sourceVersionNum: number,
  namedRows = NAMED_ROWS,
): Promise<TableVerification[]> {
  const results = tables.map(
    (table): TableVerification => ({
      table: table.key,
      sourceRows: 0,
      targetRows: 0,
      method: table.keyColumns.length > 0 ? 'key-ranges' : 'whole',
      chunks: 0,
      differences: [],
    }),
  );
  const planned = tables.map((table, i) => ({ table, result: results[i] as TableVerification }));
  const bigFirst = [...planned].sort((a, b) => b.table.bytes - a.table.bytes);
  const units: Unit[] = [];
  const rangeIndex = new Map<RangeDifference, number>();
  await eachOver(pairs, bigFirst, async ({ source }, { table, result }) => {
    try {
      const planOne = await inSavepoint([source], 'verify_plan', () =>
        planTable(source, table, result, chunkRows, sourceVersionNum),
      );
      units.push(...planOne);
    } catch (error) {
      result.error = `could not compare: ${message(error)}`;
    }
  });
  // Largest tables first, so a big table's ranges are not what the last session waits on.
  units.sort((a, b) => b.table.bytes - a.table.bytes || a.index - b.index);
  await eachOver(pairs, units, (pair, unit) => compareUnit(pair, unit, rangeIndex, namedRows));
  // Ranges finish in any order; the report lists them in key order.
  for (const result of results)
    result.differences.sort((a, b) => (rangeIndex.get(a) ?? 0) - (rangeIndex.get(b) ?? 0));
  return results;
}

async function planTable(
  source: pg.Client,
  table: TableInfo,
  result: TableVerification,
  chunkRows: number,
  sourceVersionNum: number,
): Promise<Unit[]> {
  if (table.keyColumns.length === 0) {
    result.chunks = 1;
    return [{ table, result, index: 0 }];
  }
  const estimate =
    table.rowEstimate >= 0
      ? table.rowEstimate
      : Number((await source.query<{ n: string }>(`SELECT count(*) AS n FROM ONLY ${table.key}`)).rows[0]?.n);
  const parts = Math.max(1, Math.ceil(estimate / chunkRows));
  // Bounds from a sample, as the copy plans its key ranges: the ranges need not be even, only the
  // same on both sides (they are: the source's bounds, applied to both).
  const samplePercent = estimate > 0 ? Math.min(100, (100 * parts * 200) / estimate) : 100;
  const points = await keySplitPoints(source, table, parts, {
    collateC: true,
    samplePercent,
    tableSample: hasFeature(sourceVersionNum, 'tableSample'),
  });
  const predicates = keyRangePredicates(table, points, true);
  result.chunks = predicates.length;
  return predicates.map((predicate, i) => ({
    table,
    result,
    index: i,
    predicate,
    ...(i > 0 ? { lower: points[i - 1] } : {}),
    ...(i < points.length ? { upper: points[i] } : {}),
  }));
}

async function compareUnit(
  pair: SessionPair,
  unit: Unit,
  rangeIndex: Map<RangeDifference, number>,
  namedRows: number,
): Promise<void> {
  const { table, result } = unit;
  if (result.error) return; // an earlier range of the table could not be read
  const from = `ONLY ${table.key}${unit.predicate ? ` WHERE ${unit.predicate}` : ''}`;
  try {
    await inSavepoint([pair.source, pair.target], 'verify_range', async () => {
      const sql = hashSumsSql(table.columns, from);
      const [s, t] = await both(pair, sql);
      result.sourceRows += Number(s.n);
      result.targetRows += Number(t.n);
      if (s.n === t.n && s.a === t.a && s.b === t.b) return;
      const rows =
        unit.predicate && Math.max(Number(s.n), Number(t.n)) <= NARROW_MAX_ROWS
          ? await differingRows(pair, table, from, namedRows)
          : undefined;
      const difference: RangeDifference = {
        range: unit.predicate ? `${table.key} WHERE ${unit.predicate}` : 'whole table',
        ...(unit.lower ? { lower: unit.lower } : {}),
        ...(unit.upper ? { upper: unit.upper } : {}),
        sourceRows: Number(s.n),
        targetRows: Number(t.n),
        ...(rows ? { rows: rows.named, rowsDiffering: rows.count } : {}),
      };
      rangeIndex.set(difference, unit.index);
      result.differences.push(difference);
    });
  } catch (error) {
    result.error = `could not compare: ${message(error)}`;
  }
}

/** Compares one range row by row: each side's (key, row hash), matched by key. */
async function differingRows(
  pair: SessionPair,
  table: TableInfo,
  from: string,
  namedRows: number,
): Promise<{ named: RowDifference[]; count: number }> {
  const key = keyColumnInfo(table)
    .map((c) => `${quoteIdent(c.name)}::text`)
    .join(', ');
  const sql = `SELECT array_to_json(ARRAY[${key}])::text AS k, ${rowHashExpression(table.columns)} AS h FROM ${from}`;
  const [s, t] = await Promise.all([pair.source.query(sql), pair.target.query(sql)]);
  const targets = new Map<string, string>(t.rows.map((r: { k: string; h: string }) => [r.k, r.h]));
  const found: { k: string; problem: RowDifference['problem'] }[] = [];
  for (const r of s.rows as { k: string; h: string }[]) {
    const h = targets.get(r.k);
    targets.delete(r.k);
    if (h === undefined) found.push({ k: r.k, problem: 'missing' });
    else if (h !== r.h) found.push({ k: r.k, problem: 'different' });
  }
  for (const k of targets.keys()) found.push({ k, problem: 'extra' });
  found.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return {
    named: found.slice(0, namedRows).map((f) => ({ key: JSON.parse(f.k) as string[], problem: f.problem })),
    count: found.length,
  };
}

async function both(pair: SessionPair, sql: string) {
  const [s, t] = await Promise.all([pair.source.query(sql), pair.target.query(sql)]);
  return [s.rows[0] ?? {}, t.rows[0] ?? {}] as Record<string, string>[] as [
    Record<string, string>,
    Record<string, string>,
  ];
}

/** Runs `work` over `items`, one item at a time on each pair, the pairs at once. */
async function eachOver<T>(
  pairs: readonly SessionPair[],
  items: readonly T[],
  work: (pair: SessionPair, item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    pairs.map(async (pair) => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(pair, item);
      }
    }),
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
