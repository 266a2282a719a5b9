import type { TableRef } from '@pgshift/plugin-api';
import type pg from 'pg';
import { BOOKKEEPING_SCHEMA } from '../bookkeeping.js';
import { readTableInventory } from '../copy/inventory.js';
import { keyColumnInfo, keyOrder, keyRangePredicates, keySplitPoints } from '../copy/key-ranges.js';
import { readSequences } from '../copy/sequences.js';
import type { TableInfo } from '../copy/types.js';
import { qualified } from '../quote.js';
import { readSchemaObjects, readSelectedSequences } from '../schema/index.js';
import { applyFixedSettings } from '../session-settings.js';
import { inSavepoint } from '../transaction.js';
import { compareLargeObjects } from './large-objects.js';
import type { SchemaDifference, SequenceVerification, TableVerification, VerifyReport } from './report.js';
import { rowTextExpression } from './row-text.js';

/** The comparable shape of a schema object (what the schema module's readSchemaObjects returns). */
export interface ComparableSchemaObject {
  kind: string;
  schema: string;
  name: string;
  table?: string;
  signature: string;
}

export interface VerifyOptions {
  /** Rows per compared key range; a difference is located to one such range. Default 50,000. */
  chunkRows?: number;
  /** Compare schema objects (default true). */
  schema?: boolean;
  /** Reads one side's schema objects; default: the schema module's readSchemaObjects. */
  readSchemaObjects?: (client: pg.Client) => Promise<ComparableSchemaObject[]>;
  /** Compare sequences' values (default true). */
  sequences?: boolean;
  /** Compare the tables' rows (default true); false for a copy of the schema alone. */
  rows?: boolean;
  /**
   * Compare large objects' contents (default: when rows are compared and no table selection is
   * given, as the copy carries them only then).
   */
  largeObjects?: boolean;
  /** Publications were copied (options.copyPublications): compare them too. */
  copyPublications?: boolean;
  /** Privileges were copied (options.copyPrivileges): compare default privileges too (default true). */
  copyPrivileges?: boolean;
}

type Opener = () => Promise<pg.Client>;

/**
 * Compares source and target: schema objects, per table the row count and a checksum of the rows'
 * text computed on each server (only counts and hashes travel), chunked by key ranges whose bounds
 * come from the source, and sequence values. Each side reads one REPEATABLE READ snapshot. With
 * `tables`, exactly what the schema copy carries for that selection is compared, on both sides.
 */
export async function verifyDatabase(
  openSource: Opener,
  openTarget: Opener,
  database: string,
  tables?: readonly TableRef[],
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const chunkRows = options.chunkRows ?? 50_000;
  const source = await openSource();
  let target: pg.Client | undefined;
  try {
    target = await openTarget();
    for (const client of [source, target]) {
      await applyFixedSettings(client);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    }
    const selection = tables ? { tables: [...tables] } : {};
    const inventory = options.rows === false ? [] : await readTableInventory(source, tables);
    const tableResults: TableVerification[] = [];
    for (const table of inventory) tableResults.push(await verifyTable(source, target, table, chunkRows));
    const selected = tables ? await readSelectedSequences(source, selection) : undefined;
    const sequences =
      options.sequences === false
        ? []
        : compareSequences(await readSequences(source, selected), await readSequences(target, selected));
    const readObjects =
      options.readSchemaObjects ??
      ((c: pg.Client) =>
        readSchemaObjects(c, selection, {
          copyPublications: options.copyPublications === true,
          copyPrivileges: options.copyPrivileges !== false,
        }));
    const compareObjects = options.schema !== false;
    const schema = compareObjects ? compareSchema(await readObjects(source), await readObjects(target)) : [];
    const largeObjects =
      (options.largeObjects ?? (options.rows !== false && !tables))
        ? await compareLargeObjects(source, target)
        : undefined;
    const ok =
      schema.length === 0 &&
      sequences.length === 0 &&
      tableResults.every((t) => !t.error && t.differences.length === 0) &&
      (!largeObjects || (!largeObjects.error && largeObjects.differences.length === 0));
    return {
      database,
      ok,
      tables: tableResults,
      sequences,
      schema,
      schemaCompared: compareObjects,
      ...(largeObjects ? { largeObjects } : {}),
    };
  } finally {
    for (const client of [source, target]) {
      await client?.query('ROLLBACK').catch(() => {});
      await client?.end().catch(() => {});
    }
  }
}

async function verifyTable(
  source: pg.Client,
  target: pg.Client,
  table: TableInfo,
  chunkRows: number,
): Promise<TableVerification> {
  const rowText = rowTextExpression(table.columns);
  const result: TableVerification = {
    table: table.key,
    sourceRows: 0,
    targetRows: 0,
    method: table.keyColumns.length > 0 ? 'key-ranges' : 'whole',
    chunks: 0,
    differences: [],
  };
  // A failed query aborts the transaction; a savepoint per table keeps the other tables going.
  try {
    await inSavepoint([source, target], 'verify_table', () =>
      compareTableRows(source, target, table, chunkRows, rowText, result),
    );
  } catch (error) {
    result.error = `could not compare: ${error instanceof Error ? error.message : String(error)}`;
  }
  return result;
}

/** Counts and hashes the table's rows on both sides (by key range where it has a key) into `result`. */
async function compareTableRows(
  source: pg.Client,
  target: pg.Client,
  table: TableInfo,
  chunkRows: number,
  rowText: string,
  result: TableVerification,
): Promise<void> {
  if (table.keyColumns.length === 0) {
    const sql = `SELECT count(*)::text AS n,
                          coalesce(sum(('x' || substr(md5(${rowText}), 1, 16))::bit(64)::bigint::numeric), 0)::text AS sum
                     FROM ONLY ${table.key}`;
    const [s, t] = await both(source, target, sql);
    result.chunks = 1;
    result.sourceRows = Number(s.n);
    result.targetRows = Number(t.n);
    if (s.n !== t.n || s.sum !== t.sum)
      result.differences.push({ range: 'whole table', sourceRows: Number(s.n), targetRows: Number(t.n) });
    return;
  }
  const columns = keyColumnInfo(table);
  const order = keyOrder(columns, true);
  const estimate =
    table.rowEstimate >= 0
      ? table.rowEstimate
      : Number((await source.query<{ n: string }>(`SELECT count(*) AS n FROM ONLY ${table.key}`)).rows[0]?.n);
  const parts = Math.max(1, Math.ceil(estimate / chunkRows));
  const points = await keySplitPoints(source, table, parts, { collateC: true });
  const predicates = keyRangePredicates(table, points, true);
  result.chunks = predicates.length;
  for (const [i, predicate] of predicates.entries()) {
    const sql = `SELECT count(*)::text AS n, coalesce(md5(string_agg(md5(${rowText}), '' ORDER BY ${order})), '') AS sum
                     FROM ONLY ${table.key} WHERE ${predicate}`;
    const [s, t] = await both(source, target, sql);
    result.sourceRows += Number(s.n);
    result.targetRows += Number(t.n);
    if (s.n !== t.n || s.sum !== t.sum) {
      result.differences.push({
        range: `${table.key} WHERE ${predicate}`,
        ...(i > 0 ? { lower: points[i - 1] } : {}),
        ...(i < points.length ? { upper: points[i] } : {}),
        sourceRows: Number(s.n),
        targetRows: Number(t.n),
      });
    }
  }
}

async function both(source: pg.Client, target: pg.Client, sql: string) {
  const [s, t] = await Promise.all([source.query(sql), target.query(sql)]);
  return [s.rows[0] ?? {}, t.rows[0] ?? {}] as Record<string, string>[] as [
    Record<string, string>,
    Record<string, string>,
  ];
}

function compareSequences(
  source: Awaited<ReturnType<typeof readSequences>>,
  target: Awaited<ReturnType<typeof readSequences>>,
): SequenceVerification[] {
  const show = (v: { lastValue: string; isCalled: boolean }) =>
    `${v.lastValue}${v.isCalled ? '' : ' (not called)'}`;
  const targets = new Map(target.map((v) => [qualified(v.schema, v.name), v]));
  const differences: SequenceVerification[] = [];
  for (const s of source) {
    const key = qualified(s.schema, s.name);
    const t = targets.get(key);
    if (!t || t.lastValue !== s.lastValue || t.isCalled !== s.isCalled) {
      differences.push({ sequence: key, source: show(s), ...(t ? { target: show(t) } : {}) });
    }
  }
  return differences;
}

function compareSchema(
  source: ComparableSchemaObject[],
  target: ComparableSchemaObject[],
): SchemaDifference[] {
  const id = (o: ComparableSchemaObject) =>
    `${o.kind} ${qualified(o.schema, o.name)}${o.table === undefined ? '' : ` on ${o.table}`}`;
  const ours = (o: ComparableSchemaObject) => o.schema !== BOOKKEEPING_SCHEMA;
  const targets = new Map(target.filter(ours).map((o) => [id(o), o]));
  const differences: SchemaDifference[] = [];
  for (const s of source.filter(ours)) {
    const key = id(s);
    const t = targets.get(key);
    targets.delete(key);
    if (!t) differences.push({ kind: s.kind, name: key, problem: 'missing', source: s.signature });
    else if (t.signature !== s.signature)
      differences.push({
        kind: s.kind,
        name: key,
        problem: 'different',
        source: s.signature,
        target: t.signature,
      });
  }
  for (const [key, t] of targets)
    differences.push({ kind: t.kind, name: key, problem: 'extra', target: t.signature });
  return differences;
}
