import { verifyDatabase } from '@pgshift/pg';
import {
  apiVersionSupported,
  Capability,
  type CopySummary,
  LOADER,
  LOADER_METHODS,
  type LoadContext,
  nullProgress,
  PLUGIN_API_VERSION,
  silentLogger,
} from '@pgshift/plugin-api';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { gate, majorsOf, type SuiteOptions } from '../options.js';
import { AFTER_SNAPSHOT, FIDELITY_DATA, FIDELITY_SCHEMA, FIDELITY_TABLES } from './fidelity.js';
import { FIXED_SETTINGS, lazyServerPair, multisetDifference, rowHashes, type ServerPair } from './sides.js';
import { freshInstance, type PluginFactory, subjectOf } from './types.js';

/** The names of the loader suite's tests, for bypasses. */
export const LOADER_TESTS = {
  meta: 'loader [meta] declares kind loader and the current plugin API, and registers a LOADER',
  data: 'loader [loader.data] copies the fidelity dataset exactly under one snapshot',
  nulls: 'loader [loader.data] keeps every NULL a NULL, distinct from empty values',
  snapshot: 'loader [loader.data] leaves out rows changed on the source after the snapshot was exported',
  schema: 'loader [loader.schema] recreates tables, keys, indexes and sequences on an empty target',
} as const;

function loadContext(pair: ServerPair, database: string, snapshot: string): LoadContext {
  return {
    source: pair.handle('source', database),
    target: pair.handle('target', database),
    database: { name: database, whole: true, tables: [] },
    snapshot,
    jobs: 2,
    options: {
      copyOwners: false,
      copyPrivileges: false,
      onLostSnapshot: 'fail',
      splitTableBytes: 64 * 1024 * 1024,
      taskName: `conformance-${database}`,
    },
    progress: nullProgress,
    logger: silentLogger,
  };
}

/** Holds an exported snapshot open on the source, as a replication slot's session would. */
class ExportedSnapshot {
  #client!: pg.Client;
  name!: string;

  async export(pair: ServerPair, database: string): Promise<void> {
    this.#client = await pair.open('source', database);
    await this.#client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const { rows } = await this.#client.query('SELECT pg_export_snapshot() AS s');
    this.name = rows[0].s as string;
  }

  /** The rows as the snapshot shows them, hashed on the server. */
  async hashes(): Promise<string[][]> {
    const out: string[][] = [];
    for (const table of FIDELITY_TABLES) out.push(await rowHashes(this.#client, table));
    return out;
  }

  async release(): Promise<void> {
    await this.#client.query('COMMIT').catch(() => {});
    await this.#client.end().catch(() => {});
  }
}

/** Runs the four phases the way the orchestrator does, with the snapshot held open throughout copyData. */
async function load(
  factory: PluginFactory,
  pair: ServerPair,
  database: string,
  afterExport?: string,
): Promise<{ summary: CopySummary; snapshotRows: string[][] }> {
  const { value: loader } = await freshInstance(factory, LOADER);
  const snapshot = new ExportedSnapshot();
  await snapshot.export(pair, database);
  try {
    if (afterExport) await pair.run('source', database, afterExport);
    const ctx = loadContext(pair, database, snapshot.name);
    await loader.preData(ctx);
    const summary = await loader.copyData(ctx);
    const snapshotRows = await snapshot.hashes();
    await snapshot.release();
    await loader.postData(ctx);
    await loader.syncSequences(ctx);
    return { summary, snapshotRows };
  } finally {
    await snapshot.release();
  }
}

async function targetHashes(pair: ServerPair, database: string): Promise<string[][]> {
  const client = await pair.open('target', database);
  try {
    const out: string[][] = [];
    for (const table of FIDELITY_TABLES) out.push(await rowHashes(client, table));
    return out;
  } finally {
    await client.end();
  }
}

function expectSameRows(expected: string[][], actual: string[][]): void {
  FIDELITY_TABLES.forEach((table, i) => {
    const diff = multisetDifference(expected[i] ?? [], actual[i] ?? []);
    expect(
      diff,
      `${table.schema}.${table.name}: rows missing on the target / rows only on the target`,
    ).toEqual({
      onlyA: 0,
      onlyB: 0,
    });
  });
}

/** Per column of every fidelity table: how many NULLs it holds. */
async function nullCounts(
  pair: ServerPair,
  role: 'source' | 'target',
  database: string,
): Promise<Record<string, number>> {
  const client = await pair.open(role, database);
  try {
    await client.query(FIXED_SETTINGS);
    const { rows } = await client.query(
      `SELECT n.nspname AS s, c.relname AS t, a.attname AS col FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND NOT a.attnotnull
          AND n.nspname IN ('public', 'Odd "Schema"') ORDER BY 1, 2, a.attnum`,
    );
    const out: Record<string, number> = {};
    for (const r of rows) {
      const q = (x: string) => `"${x.replaceAll('"', '""')}"`;
      const { rows: c } = await client.query(
        `SELECT count(*)::int AS n FROM ${q(r.s)}.${q(r.t)} WHERE ${q(r.col)} IS NULL`,
      );
      out[`${r.s}.${r.t}.${r.col}`] = c[0].n as number;
    }
    return out;
  } finally {
    await client.end();
  }
}

/** The metadata test, which needs no server. */
export function describeLoaderMeta(factory: PluginFactory, options: SuiteOptions = {}): void {
  it(LOADER_TESTS.meta, async (ctx) => {
    gate(ctx, LOADER_TESTS.meta, options);
    const subject = await subjectOf(factory);
    expect(subject.plugin.meta.kind).toBe('loader');
    expect(
      apiVersionSupported(subject.plugin.meta.apiVersion),
      `apiVersion ${subject.plugin.meta.apiVersion} runs on plugin API ${PLUGIN_API_VERSION}`,
    ).toBe(true);
    const { value: loader } = await freshInstance(factory, LOADER);
    for (const phase of LOADER_METHODS.filter((method) => method !== 'finish'))
      expect(typeof loader[phase], phase).toBe('function');
  });
}

/** The server-backed tests on one PostgreSQL major (source and target of that major). */
export function describeLoaderOnMajor(
  factory: PluginFactory,
  major: number,
  options: SuiteOptions = {},
): void {
  describe(`on PostgreSQL ${major}`, () => {
    const servers = lazyServerPair(major, async () => (await subjectOf(factory)).plugin.capabilities);
    const { pair, ensure } = servers;
    const requirement = (capability: string) => ({ capability, declared: servers.capabilities() });

    it(LOADER_TESTS.data, async (ctx) => {
      gate(ctx, LOADER_TESTS.data, options, requirement(Capability.loader.data));
      await ensure();
      await pair.database('fidelity');
      await pair.run('source', 'fidelity', FIDELITY_SCHEMA + FIDELITY_DATA);
      const { summary, snapshotRows } = await load(factory, pair, 'fidelity');
      expect(summary.consistent, 'the rows came from one snapshot').toBe(true);
      expect(summary.rows).toBe(snapshotRows.reduce((n, rows) => n + rows.length, 0));
      expectSameRows(snapshotRows, await targetHashes(pair, 'fidelity'));
      const report = await verifyDatabase(
        () => pair.open('source', 'fidelity'),
        () => pair.open('target', 'fidelity'),
        'fidelity',
        FIDELITY_TABLES,
      );
      const problems = [
        ...report.schema.map((d) => JSON.stringify(d)),
        ...report.sequences.map((d) => JSON.stringify(d)),
        ...report.tables.filter((t) => t.error || t.differences.length > 0).map((t) => JSON.stringify(t)),
      ];
      expect(problems, 'verifyDatabase found differences').toEqual([]);
      expect(report.ok).toBe(true);
    });

    it(LOADER_TESTS.nulls, async (ctx) => {
      gate(ctx, LOADER_TESTS.nulls, options, requirement(Capability.loader.data));
      await ensure();
      await pair.database('nulls');
      await pair.run('source', 'nulls', FIDELITY_SCHEMA + FIDELITY_DATA);
      await load(factory, pair, 'nulls');
      const [source, target] = [
        await nullCounts(pair, 'source', 'nulls'),
        await nullCounts(pair, 'target', 'nulls'),
      ];
      expect(
        Object.values(source).every((n) => n > 0),
        'every column of the dataset holds a NULL',
      ).toBe(true);
      const changed = Object.keys(source).filter((column) => target[column] !== source[column]);
      expect(changed, `columns whose NULL count differs on the target: ${changed.join(', ')}`).toEqual([]);
    });

    it(LOADER_TESTS.snapshot, async (ctx) => {
      gate(ctx, LOADER_TESTS.snapshot, options, requirement(Capability.loader.data));
      await ensure();
      await pair.database('snapshot');
      await pair.run('source', 'snapshot', FIDELITY_SCHEMA + FIDELITY_DATA);
      const { snapshotRows } = await load(factory, pair, 'snapshot', AFTER_SNAPSHOT);
      const target = await targetHashes(pair, 'snapshot');
      expectSameRows(snapshotRows, target);
      const [late] = await pair.target.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM public.kinds WHERE id = 5000 OR t = 'updated after the snapshot'",
        [],
        'snapshot',
      );
      expect(late?.n, 'rows written after the snapshot reached the target').toBe(0);
    });

    it(LOADER_TESTS.schema, async (ctx) => {
      gate(ctx, LOADER_TESTS.schema, options, requirement(Capability.loader.schema));
      await ensure();
      await pair.database('schema');
      await pair.run('source', 'schema', FIDELITY_SCHEMA + FIDELITY_DATA);
      await load(factory, pair, 'schema');
      const objects = `SELECT c.relkind::text || ' ' || n.nspname || '.' || c.relname AS o FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname IN ('public', 'Odd "Schema"') ORDER BY 1`;
      const [source, target] = [
        await pair.source.query<{ o: string }>(objects, [], 'schema'),
        await pair.target.query<{ o: string }>(objects, [], 'schema'),
      ];
      expect(target).toEqual(source);
      const [seq] = await pair.target.query<{ v: string }>(
        'SELECT last_value::text AS v FROM public.counter',
        [],
        'schema',
      );
      expect(seq?.v, 'the sequence continues where the source is').toBe('1234');
      const [fk] = await pair.target.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND conrelid = 'public.docs'::regclass",
        [],
        'schema',
      );
      expect(fk?.n).toBe(1);
    });
  });
}

/**
 * The loader suite: metadata, then per PostgreSQL major the fidelity copy under one exported
 * snapshot, NULL fidelity, snapshot isolation against later writes, and the schema.
 */
export function describeLoader(factory: PluginFactory, options: SuiteOptions = {}): void {
  describeLoaderMeta(factory, options);
  for (const major of majorsOf(options)) describeLoaderOnMajor(factory, major, options);
}
