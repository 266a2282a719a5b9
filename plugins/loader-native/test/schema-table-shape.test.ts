import { applyStatements, openClient, readSchemaObjects, type SchemaPlan, verifyDatabase } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase, planSchema } from '../src/index.js';
import { opener } from './copy-fixtures.js';
import { freshDatabase as freshDatabaseIn } from './schema-helpers.js';

/*
 * Table shape: column order (inheritance children and partitions whose order the standard
 * CREATE would change, dropped columns), typed tables, per-column and TOAST settings, and
 * materialized views, copied schema + data + post-data as the loader does, then compared on what
 * each server holds.
 */

/** Runs on 10 and later. */
const SHAPES: string[] = [
  'CREATE SCHEMA shape',
  // Inheritance: a column added to the parent lands at the end of every child.
  `CREATE TABLE shape.a_star (class char, a int4 NOT NULL, CONSTRAINT a_pos CHECK (a > 0))`,
  'CREATE TABLE shape.b_star (b text) INHERITS (shape.a_star)',
  'CREATE TABLE shape.c_star (c name) INHERITS (shape.a_star)',
  'CREATE TABLE shape.d_star (d float8) INHERITS (shape.b_star, shape.c_star)',
  // "a" is defined here and inherited too.
  'CREATE TABLE shape.e_star (e int2, a int4 NOT NULL) INHERITS (shape.c_star)',
  'ALTER TABLE shape.a_star ADD COLUMN f text',
  // Made after the parent's last column: the standard form keeps its order.
  'CREATE TABLE shape.g_star (g int) INHERITS (shape.a_star)',
  // Its order is the standard one, but its parents come to disagree on the storage of "f".
  'CREATE TABLE shape.h_star () INHERITS (shape.b_star, shape.c_star)',
  // A table of its own, attached by INHERIT, in an order of its own.
  `CREATE TABLE shape.own_order (note text, f text, a int4 NOT NULL, class char, CONSTRAINT a_pos CHECK (a > 0))`,
  'ALTER TABLE shape.own_order INHERIT shape.a_star',
  // Dropped columns in the middle.
  'CREATE TABLE shape.dropped (id int PRIMARY KEY, gone text, v text, also_gone int, w int)',
  'ALTER TABLE shape.dropped DROP COLUMN gone, DROP COLUMN also_gone',
  // Partitions: one made by PARTITION OF, two attached in their own order, one with a dropped
  // column whose live order is the parent's, one sub-partitioned in its own order.
  `CREATE TABLE shape.parted (id int NOT NULL, kind text NOT NULL, v text, CONSTRAINT kind_ok CHECK (kind <> '')) PARTITION BY LIST (kind)`,
  `CREATE TABLE shape.parted_a PARTITION OF shape.parted FOR VALUES IN ('a')`,
  `CREATE TABLE shape.parted_b (v text, kind text NOT NULL, id int NOT NULL, CONSTRAINT kind_ok CHECK (kind <> ''))`,
  `ALTER TABLE shape.parted ATTACH PARTITION shape.parted_b FOR VALUES IN ('b')`,
  `CREATE TABLE shape.parted_c (id int NOT NULL, gone int, kind text NOT NULL, v text, CONSTRAINT kind_ok CHECK (kind <> ''))`,
  'ALTER TABLE shape.parted_c DROP COLUMN gone',
  `ALTER TABLE shape.parted ATTACH PARTITION shape.parted_c FOR VALUES IN ('c')`,
  `CREATE TABLE shape.parted_d (kind text NOT NULL, x int, v text, id int NOT NULL, CONSTRAINT kind_ok CHECK (kind <> '')) PARTITION BY RANGE (id)`,
  'ALTER TABLE shape.parted_d DROP COLUMN x',
  'CREATE TABLE shape.parted_d1 PARTITION OF shape.parted_d FOR VALUES FROM (0) TO (1000)',
  `ALTER TABLE shape.parted ATTACH PARTITION shape.parted_d FOR VALUES IN ('d')`,
  // Typed tables, over a type with a dropped attribute.
  `CREATE TYPE shape.person AS (id int, name text COLLATE "C", gone int, born date)`,
  'ALTER TYPE shape.person DROP ATTRIBUTE gone',
  `CREATE TABLE shape.people OF shape.person (id WITH OPTIONS PRIMARY KEY, name WITH OPTIONS NOT NULL DEFAULT 'nobody', CONSTRAINT born_past CHECK (born < '2100-01-01'))`,
  'CREATE TABLE shape.people_plain OF shape.person',
  // Per-column and TOAST settings; a child whose storage went back to the type's default.
  'CREATE TABLE shape.tuned (id int, body text, n numeric) WITH (fillfactor = 80, toast.autovacuum_enabled = false)',
  'ALTER TABLE shape.tuned ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN body SET STATISTICS 500, ALTER COLUMN id SET (n_distinct = -0.5), ALTER COLUMN n SET STORAGE MAIN',
  'ALTER TABLE shape.a_star ALTER COLUMN f SET STORAGE MAIN',
  'ALTER TABLE ONLY shape.b_star ALTER COLUMN f SET STORAGE EXTENDED',
  'ALTER TABLE shape.b_star ALTER COLUMN b SET STATISTICS 50',
  'ALTER TABLE ONLY shape.parted ALTER COLUMN v SET STATISTICS 70',
  // Materialized views: one with settings, one never populated, one stale.
  'CREATE MATERIALIZED VIEW shape.mv WITH (toast.autovacuum_enabled = false) AS SELECT class, a, f FROM shape.a_star',
  'ALTER MATERIALIZED VIEW shape.mv ALTER COLUMN f SET STORAGE MAIN, ALTER COLUMN a SET STATISTICS 20, ALTER COLUMN class SET (n_distinct = 3)',
  'CREATE MATERIALIZED VIEW shape.never AS SELECT id FROM shape.dropped WITH NO DATA',
  `CREATE MATERIALIZED VIEW shape.stale AS SELECT count(*) AS n, max(d.v) AS v FROM shape.dropped d JOIN shape.parted p USING (id) WHERE p.kind IN ('a', 'b')`,
];

/** PostgreSQL 14 and later: column compression. */
const COMPRESSION: string[] = [
  'ALTER TABLE shape.tuned ALTER COLUMN body SET COMPRESSION pglz',
  'ALTER TABLE shape.a_star ALTER COLUMN f SET COMPRESSION pglz',
  'ALTER TABLE shape.d_star ALTER COLUMN f SET COMPRESSION pglz',
  'ALTER TABLE ONLY shape.b_star ALTER COLUMN f SET COMPRESSION pglz',
  'ALTER MATERIALIZED VIEW shape.mv ALTER COLUMN f SET COMPRESSION pglz',
];

const DATA: string[] = [
  `INSERT INTO shape.a_star VALUES ('a', 1, 'fa')`,
  `INSERT INTO shape.b_star (class, a, b, f) VALUES ('b', 2, 'bee', 'fb')`,
  `INSERT INTO shape.c_star (class, a, c, f) VALUES ('c', 3, 'cee', 'fc')`,
  `INSERT INTO shape.d_star (class, a, b, c, d, f) VALUES ('d', 4, 'bd', 'cd', 4.5, 'fd')`,
  `INSERT INTO shape.e_star (class, a, c, e, f) VALUES ('e', 5, 'ce', 5, 'fe')`,
  `INSERT INTO shape.g_star (class, a, f, g) VALUES ('g', 7, 'fg', 7)`,
  `INSERT INTO shape.h_star (class, a, b, f, c) VALUES ('h', 8, 'bh', 'fh', 'ch')`,
  `INSERT INTO shape.own_order (note, f, a, class) VALUES ('n', 'fo', 6, 'o')`,
  `INSERT INTO shape.dropped SELECT g, 'v' || g, g * 10 FROM generate_series(1, 50) g`,
  `INSERT INTO shape.parted (id, kind, v) SELECT g, chr(97 + g % 4), 'v' || g FROM generate_series(1, 40) g`,
  `INSERT INTO shape.people VALUES (1, 'ann', '1990-01-01'), (2, DEFAULT, NULL)`,
  `INSERT INTO shape.people_plain VALUES (3, 'bob', '1980-02-02')`,
  `INSERT INTO shape.tuned SELECT g, repeat('x', g), g FROM generate_series(1, 20) g`,
  'REFRESH MATERIALIZED VIEW shape.mv',
  'REFRESH MATERIALIZED VIEW shape.stale',
  // The stored contents of "stale" no longer match its query.
  `INSERT INTO shape.parted (id, kind, v) VALUES (41, 'b', 'late')`,
];

/** Tables whose standard CREATE would give another column order: created alone, then attached. */
const ATTACHED = ['b_star', 'c_star', 'd_star', 'e_star', 'h_star', 'own_order', 'parted_b', 'parted_d'];
const STANDARD = ['a_star', 'g_star', 'parted_a', 'parted_c', 'parted_d1', 'dropped', 'tuned'];

let pg17: SandboxServer;
let pg15: SandboxServer;
let pg10: SandboxServer;
const clients: pg.Client[] = [];
const freshDatabase = (server: SandboxServer, name: string, fixture: string[] = []) =>
  freshDatabaseIn(server, name, clients, fixture);

beforeAll(async () => {
  [pg17, pg15, pg10] = await Promise.all([
    startPostgres({ major: 17 }),
    startPostgres({ major: 15 }),
    startPostgres({ major: 10 }),
  ]);
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg15?.stop(), pg10?.stop()]);
});

/** Schema, rows and post-data from `source` into a fresh database on 17, as the loader runs them. */
async function migrate(
  server: SandboxServer,
  source: pg.Client,
  target: pg.Client,
  openTarget: () => Promise<pg.Client>,
): Promise<SchemaPlan> {
  const plan = await planSchema(source, {}, { copyOwners: false, copyPrivileges: false });
  await applyStatements(target, plan.preData);
  await copyDatabase({
    openSource: opener(server, source.database as string),
    openTarget,
    database: source.database as string,
    jobs: 2,
    splitTableBytes: 1 << 30,
    onLostSnapshot: 'fail',
  });
  for (const statements of plan.tablePostData.values()) await applyStatements(target, statements);
  await applyStatements(target, plan.postData);
  return plan;
}

const COLUMNS = `SELECT c.relname, a.attname,
    row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum)::int AS position,
    a.attislocal AS local, a.attinhcount::int AS inh, a.attstorage::text AS storage,
    NULLIF(a.attstattarget, -1)::int AS stats, a.attoptions::text AS options, a.attnotnull AS not_null
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'shape' AND c.relkind IN ('r', 'p', 'm') AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY c.relname, a.attnum`;
const CHECKS = `SELECT c.relname, k.conname, k.conislocal AS local, k.coninhcount::int AS inh
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'shape' AND k.contype = 'c' ORDER BY 1, 2`;
const RELATIONS = `SELECT c.relname, c.relkind::text, c.reloftype::regtype::text AS of_type, c.reloptions::text AS options,
    t.reloptions::text AS toast, c.relispopulated AS populated,
    (SELECT string_agg(h.inhparent::regclass::text, ', ' ORDER BY h.inhseqno) FROM pg_inherits h WHERE h.inhrelid = c.oid) AS parents,
    pg_get_expr(c.relpartbound, c.oid) AS bound
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
  WHERE n.nspname = 'shape' AND c.relkind IN ('r', 'p', 'm') ORDER BY 1`;
const COMPRESSIONS = `SELECT c.relname, a.attname, a.attcompression::text AS compression
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'shape' AND a.attnum > 0 AND NOT a.attisdropped AND a.attcompression <> '' ORDER BY 1, 2`;

const rowsOf = async (client: pg.Client, sql: string) => (await client.query(sql)).rows;

/** Every table's rows as `row(t.*)` text, hashed: equal only with equal column order. */
async function tableHashes(client: pg.Client): Promise<Record<string, string>> {
  const tables = await rowsOf(
    client,
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'shape' AND c.relkind = 'r' ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { relname } of tables) {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS hash FROM ONLY shape."${relname}" t`,
    );
    out[relname] = `${rows[0].n} ${rows[0].hash}`;
  }
  return out;
}

async function expectSameShape(source: pg.Client, target: pg.Client): Promise<void> {
  expect(await rowsOf(target, COLUMNS)).toEqual(await rowsOf(source, COLUMNS));
  expect(await rowsOf(target, CHECKS)).toEqual(await rowsOf(source, CHECKS));
  expect(await rowsOf(target, RELATIONS)).toEqual(await rowsOf(source, RELATIONS));
  const hashes = await tableHashes(source);
  expect(Object.keys(hashes)).toHaveLength(16);
  expect(await tableHashes(target)).toEqual(hashes);
  expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));
}

/** Whether the plan creates `table` alone and attaches it (INHERIT or ATTACH PARTITION). */
function attachedLater(plan: SchemaPlan, table: string): boolean {
  return plan.preData.some((s) =>
    new RegExp(`^ALTER TABLE "shape"\\."${table}" INHERIT |ATTACH PARTITION "shape"\\."${table}" `).test(
      s.sql,
    ),
  );
}

describe('table shape', () => {
  it('keeps column order, typed tables, column and TOAST settings and matview states from 15 on 17', async () => {
    const source = await freshDatabase(pg15, 'shape15', [...SHAPES, ...COMPRESSION, ...DATA]);
    const target = await freshDatabase(pg17, 'shape15 copy');
    const plan = await migrate(pg15, source, target, opener(pg17, 'shape15 copy'));

    expect(ATTACHED.filter((t) => attachedLater(plan, t))).toEqual(ATTACHED);
    expect(STANDARD.filter((t) => attachedLater(plan, t))).toEqual([]);
    expect(plan.skipped).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: '"shape"."b_star"' })]),
    );

    await expectSameShape(source, target);
    expect(await rowsOf(target, COMPRESSIONS)).toEqual(await rowsOf(source, COMPRESSIONS));
    expect(await rowsOf(source, COMPRESSIONS)).toHaveLength(5);
    // Typed tables depend on their type: dropping it needs CASCADE.
    await expect(target.query('DROP TYPE shape.person')).rejects.toThrow(/depend/);

    // Populated as on the source; the stale one is refreshed, so its rows are today's.
    const states = `SELECT relname, relispopulated FROM pg_class WHERE relkind = 'm' ORDER BY 1`;
    expect(await rowsOf(target, states)).toEqual([
      { relname: 'mv', relispopulated: true },
      { relname: 'never', relispopulated: false },
      { relname: 'stale', relispopulated: true },
    ]);
    expect((await rowsOf(target, 'SELECT n::int, v FROM shape.stale'))[0]).toEqual({ n: 21, v: 'v9' });
    expect((await rowsOf(source, 'SELECT n::int, v FROM shape.stale'))[0]).toEqual({ n: 20, v: 'v9' });
  });

  it('keeps column order, typed tables and settings from 10 on 17', async () => {
    const source = await freshDatabase(pg10, 'shape10', [...SHAPES, ...DATA]);
    const target = await freshDatabase(pg17, 'shape10 copy');
    const plan = await migrate(pg10, source, target, opener(pg17, 'shape10 copy'));
    expect(ATTACHED.filter((t) => attachedLater(plan, t))).toEqual(ATTACHED);
    await expectSameShape(source, target);
  });

  it('keeps the order on a target without a superuser, leaving inherited columns local and saying so', async () => {
    const source = await freshDatabase(pg17, 'shape17', [...SHAPES, ...COMPRESSION, ...DATA]);
    await pg17.query('CREATE ROLE shaper LOGIN');
    await pg17.query('CREATE DATABASE "shape nosu" OWNER shaper');
    const openTarget = () => openClient({ ...pg17.connection('shape nosu'), user: 'shaper' });
    const target = await openTarget();
    clients.push(target);
    const plan = await migrate(pg17, source, target, openTarget);

    const flagged = ['b_star', 'c_star', 'd_star', 'e_star', 'h_star'].map((t) => `"shape"."${t}"`);
    expect(plan.skipped?.filter((s) => s.kind.startsWith('inherited-only flags')).map((s) => s.name)).toEqual(
      flagged,
    );
    const withoutFlags = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, local: undefined }));
    expect(withoutFlags(await rowsOf(target, COLUMNS))).toEqual(withoutFlags(await rowsOf(source, COLUMNS)));
    expect(withoutFlags(await rowsOf(target, CHECKS))).toEqual(withoutFlags(await rowsOf(source, CHECKS)));
    expect(await tableHashes(target)).toEqual(await tableHashes(source));
    // Inherited-only on the source, local here, except in g_star (made by INHERITS).
    const inheritedOnly = `SELECT DISTINCT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = 'shape'::regnamespace AND a.attnum > 0 AND NOT a.attislocal AND NOT c.relispartition
        AND c.relkind = 'r' ORDER BY 1`;
    expect((await rowsOf(source, inheritedOnly)).map((r) => r.relname)).toEqual([
      'b_star',
      'c_star',
      'd_star',
      'e_star',
      'g_star',
      'h_star',
    ]);
    expect((await rowsOf(target, inheritedOnly)).map((r) => r.relname)).toEqual(['g_star']);
    // What verify sees: those columns' isLocal, nothing else.
    const sourceObjects = await readSchemaObjects(source);
    const targetObjects = await readSchemaObjects(target);
    const differing = targetObjects.filter((o, i) => JSON.stringify(o) !== JSON.stringify(sourceObjects[i]));
    expect(targetObjects).toHaveLength(sourceObjects.length);
    expect(new Set(differing.map((o) => `${o.kind} ${o.table}`))).toEqual(
      new Set(['column b_star', 'column c_star', 'column d_star', 'column e_star', 'column h_star']),
    );
    expect(differing.every((o) => o.signature.includes('"isLocal":true'))).toBe(true);
  });

  it('verify compares a materialized view by definition and populated state, not rows', async () => {
    const source = await freshDatabase(pg17, 'mv17', [...SHAPES, ...DATA]);
    const target = await freshDatabase(pg17, 'mv17 copy');
    await migrate(pg17, source, target, opener(pg17, 'mv17 copy'));
    // The source's "stale" holds rows its query no longer gives; the target's was refreshed.
    const report = await verifyDatabase(opener(pg17, 'mv17'), opener(pg17, 'mv17 copy'), 'mv17');
    expect(report.schema).toEqual([]);
    expect(report.ok).toBe(true);
    expect((await rowsOf(target, 'SELECT n::int FROM shape.stale'))[0]).not.toEqual(
      (await rowsOf(source, 'SELECT n::int FROM shape.stale'))[0],
    );

    await target.query('REFRESH MATERIALIZED VIEW shape.never');
    await target.query('DROP MATERIALIZED VIEW shape.mv');
    await target.query(
      'CREATE MATERIALIZED VIEW shape.mv AS SELECT class, a, f FROM shape.a_star WHERE a > 1',
    );
    const again = await verifyDatabase(opener(pg17, 'mv17'), opener(pg17, 'mv17 copy'), 'mv17');
    const differing = again.schema.filter((d) => d.kind === 'materialized view');
    expect(differing.map((d) => [d.name, d.problem])).toEqual([
      ['materialized view "shape"."mv"', 'different'],
      ['materialized view "shape"."never"', 'different'],
    ]);
    expect(differing[0]?.target).toContain('a > 1');
    expect(differing[1]?.source).toContain('"populated":false');
    expect(differing[1]?.target).toContain('"populated":true');

    // Column settings and positions are compared too.
    await target.query(`ALTER TABLE shape.tuned ALTER COLUMN body SET STATISTICS 5, ALTER COLUMN n SET STORAGE EXTENDED,
      ALTER COLUMN id RESET (n_distinct)`);
    await target.query('ALTER TABLE shape.own_order DROP COLUMN note, ADD COLUMN note text');
    const columns = (await verifyDatabase(opener(pg17, 'mv17'), opener(pg17, 'mv17 copy'), 'mv17')).schema
      .filter((d) => d.kind === 'column')
      .map((d) => d.name);
    expect(columns).toEqual([
      // The "mv" made again above lost its column settings.
      'column "shape"."a" on mv',
      'column "shape"."class" on mv',
      'column "shape"."f" on mv',
      'column "shape"."a" on own_order',
      'column "shape"."class" on own_order',
      'column "shape"."f" on own_order',
      'column "shape"."note" on own_order',
      'column "shape"."body" on tuned',
      'column "shape"."id" on tuned',
      'column "shape"."n" on tuned',
    ]);
  });
});
