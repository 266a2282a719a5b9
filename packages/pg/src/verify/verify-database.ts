import type { TableRef } from '@pgshift/plugin-api';
import type pg from 'pg';
import { BOOKKEEPING_SCHEMA } from '../bookkeeping.js';
import { readTableInventory } from '../copy/inventory.js';
import { readSequences } from '../copy/sequences.js';
import { qualified } from '../quote.js';
import { readSchemaObjects, readSelectedSequences } from '../schema/index.js';
import { compareLargeObjects } from './large-objects.js';
import type { SchemaDifference, SequenceVerification, VerifyReport } from './report.js';
import { closeSidePool, openSidePool, type SidePool } from './session-pool.js';
import { compareTables } from './table-rows.js';

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
  /** Sessions per side comparing ranges at once, all in the side's one snapshot. Default 4. */
  jobs?: number;
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
 * Compares source and target: schema objects, per table the row count and sums of per-row hashes
 * computed on each server (only counts and sums travel), by key ranges whose bounds come from the
 * source, and sequence values. Each side reads one REPEATABLE READ snapshot, shared by up to
 * `jobs` sessions of that side (see session-pool.ts); ranges are compared on both servers at once,
 * `jobs` at a time. With `tables`, exactly what the schema copy carries for that selection is
 * compared, on both sides.
 */
export async function verifyDatabase(
  openSource: Opener,
  openTarget: Opener,
  database: string,
  tables?: readonly TableRef[],
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const chunkRows = options.chunkRows ?? 50_000;
  const jobs = Math.max(1, Math.floor(options.jobs ?? 4));
  let sourcePool: SidePool | undefined;
  let targetPool: SidePool | undefined;
  try {
    [sourcePool, targetPool] = await Promise.all([
      openSidePool(openSource, jobs),
      openSidePool(openTarget, jobs),
    ]);
  } catch (error) {
    await Promise.all([closeSidePool(sourcePool), closeSidePool(targetPool)]);
    throw error;
  }
  const [source, target] = [sourcePool.sessions[0], targetPool.sessions[0]] as [pg.Client, pg.Client];
  try {
    const selection = tables ? { tables: [...tables] } : {};
    const inventory = options.rows === false ? [] : await readTableInventory(source, tables);
    const versionNum = Number((await source.query<{ v: string }>('SHOW server_version_num')).rows[0]?.v ?? 0);
    const pairs = Array.from(
      { length: Math.min(sourcePool.sessions.length, targetPool.sessions.length) },
      (_, i) => ({
        source: sourcePool?.sessions[i] as pg.Client,
        target: targetPool?.sessions[i] as pg.Client,
      }),
    );
    const tableResults = await compareTables(pairs, inventory, chunkRows, versionNum);
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
    await Promise.all([closeSidePool(sourcePool), closeSidePool(targetPool)]);
  }
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
