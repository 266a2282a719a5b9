import { readSchemaObjects } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows, copySchema, freshDatabase } from './schema-helpers.js';

let pg17: SandboxServer;
let pg15: SandboxServer;
const clients: pg.Client[] = [];

beforeAll(async () => {
  [pg17, pg15] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 15 })]);
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg15?.stop()]);
});

/** A table access method on heap's handler, used by a table and a materialized view; an index one. */
const FIXTURE = [
  `CREATE ACCESS METHOD "heap two" TYPE TABLE HANDLER heap_tableam_handler`,
  `COMMENT ON ACCESS METHOD "heap two" IS 'heap again'`,
  'CREATE ACCESS METHOD btree2 TYPE INDEX HANDLER bthandler',
  'CREATE SCHEMA "AM"',
  'CREATE TABLE "AM".t (id int PRIMARY KEY, note text) USING "heap two"',
  `INSERT INTO "AM".t VALUES (1, 'one'), (2, 'two')`,
  'CREATE TABLE "AM".plain (id int)',
  'CREATE MATERIALIZED VIEW "AM".mv USING "heap two" AS SELECT id FROM "AM".t',
];

const METHODS = `SELECT a.amname, a.amtype, a.amhandler::text AS handler, obj_description(a.oid, 'pg_am') AS comment
  FROM pg_am a WHERE a.oid >= 16384 ORDER BY a.amname`;

const USERS = `SELECT c.relname, c.relkind, a.amname FROM pg_class c LEFT JOIN pg_am a ON a.oid = c.relam
  WHERE c.relnamespace = '"AM"'::regnamespace AND c.relkind IN ('r', 'm') ORDER BY c.relname`;

async function roundTrip(source: SandboxServer, label: string): Promise<void> {
  const sourceDb = `am ${label} src`;
  const targetDb = `am ${label} dst`;
  const src = await freshDatabase(source, sourceDb, clients, FIXTURE);
  const dst = await freshDatabase(pg17, targetDb, clients);
  await copySchema(src, dst);
  const copied = await copyRows({ server: source, database: sourceDb }, { server: pg17, database: targetDb });
  expect(copied).toBe(2);

  const expected = await src.query(METHODS);
  expect(expected.rows.map((r) => r.amname)).toEqual(['btree2', 'heap two']);
  expect((await dst.query(METHODS)).rows).toEqual(expected.rows);
  const users = await src.query(USERS);
  expect(users.rows).toEqual([
    { relname: 'mv', relkind: 'm', amname: 'heap two' },
    { relname: 'plain', relkind: 'r', amname: 'heap' },
    { relname: 't', relkind: 'r', amname: 'heap two' },
  ]);
  expect((await dst.query(USERS)).rows).toEqual(users.rows);
  expect(await readSchemaObjects(dst)).toEqual(await readSchemaObjects(src));
}

describe('access methods', () => {
  it('are recreated with their type, handler and comment, and used by tables, 17 to 17', async () => {
    await roundTrip(pg17, '17');
  });

  it('are recreated with their type, handler and comment, and used by tables, 15 to 17', async () => {
    await roundTrip(pg15, '15');
  });
});
