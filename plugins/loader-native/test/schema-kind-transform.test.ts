import { readSchemaObjects } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySchema, freshDatabase } from './schema-helpers.js';

let pg17: SandboxServer;
let pg10: SandboxServer;
const clients: pg.Client[] = [];

beforeAll(async () => {
  [pg17, pg10] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 10 })]);
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg10?.stop()]);
});

/*
 * Transform functions take internal, which only C or internal functions may: built-in ones under
 * other names (never called here). One transform has both functions, one only FROM SQL, on a
 * user base type and a user language, so it must come after both.
 */
const FIXTURE = [
  'CREATE SCHEMA "Trf"',
  `CREATE FUNCTION "Trf"."from sql"(internal) RETURNS internal AS 'brin_minmax_opcinfo' LANGUAGE internal IMMUTABLE STRICT`,
  `CREATE FUNCTION "Trf".to_int(internal) RETURNS int4 AS 'int4recv' LANGUAGE internal IMMUTABLE STRICT`,
  `CREATE TRANSFORM FOR int4 LANGUAGE sql (FROM SQL WITH FUNCTION "Trf"."from sql"(internal), TO SQL WITH FUNCTION "Trf".to_int(internal))`,
  `COMMENT ON TRANSFORM FOR int4 LANGUAGE sql IS 'ints for sql'`,
  'CREATE TYPE "Trf".tag',
  `CREATE FUNCTION "Trf".tag_in(cstring) RETURNS "Trf".tag AS 'int4in' LANGUAGE internal STRICT IMMUTABLE`,
  `CREATE FUNCTION "Trf".tag_out("Trf".tag) RETURNS cstring AS 'int4out' LANGUAGE internal STRICT IMMUTABLE`,
  'CREATE TYPE "Trf".tag (INPUT = "Trf".tag_in, OUTPUT = "Trf".tag_out, LIKE = int4)',
  'CREATE LANGUAGE "pl trf" HANDLER plpgsql_call_handler',
  `CREATE TRANSFORM FOR "Trf".tag LANGUAGE "pl trf" (FROM SQL WITH FUNCTION "Trf"."from sql"(internal))`,
];

const TRANSFORMS = `SELECT t.trftype::regtype::text AS type, l.lanname, t.trffromsql::regprocedure::text AS "from",
    t.trftosql::text AS "to", obj_description(t.oid, 'pg_transform') AS comment
  FROM pg_transform t JOIN pg_language l ON l.oid = t.trflang ORDER BY 1, 2`;

async function roundTrip(source: SandboxServer, label: string): Promise<void> {
  const src = await freshDatabase(source, `transform ${label} src`, clients, FIXTURE);
  const dst = await freshDatabase(pg17, `transform ${label} dst`, clients);
  await copySchema(src, dst);

  const expected = await src.query(TRANSFORMS);
  expect(expected.rows).toHaveLength(2);
  expect((await dst.query(TRANSFORMS)).rows).toEqual(expected.rows);
  expect(await readSchemaObjects(dst)).toEqual(await readSchemaObjects(src));
}

describe('transforms', () => {
  it('are recreated with their functions and comment, 17 to 17', async () => {
    await roundTrip(pg17, '17');
  });

  it('are recreated with their functions and comment, 10 to 17', async () => {
    await roundTrip(pg10, '10');
  });
});
