import { readSchemaObjects } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows, copySchema, freshDatabase } from './schema-helpers.js';

let pg17: SandboxServer;
let pg10: SandboxServer;
const clients: pg.Client[] = [];

beforeAll(async () => {
  [pg17, pg10] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 10 })]);
  for (const server of [pg17, pg10]) await server.query('CREATE ROLE "type user"');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg10?.stop()]);
});

/*
 * Base types built the way PostgreSQL's own tests build them without a C library of their own:
 * a shell, I/O functions in LANGUAGE internal (or C from a contrib library the server ships),
 * then the full CREATE TYPE.
 */
const FIXTURE = [
  'CREATE SCHEMA "Base Types"',
  'CREATE TYPE "Base Types"."My Text"',
  `CREATE FUNCTION "Base Types".mytext_in(cstring) RETURNS "Base Types"."My Text" AS 'textin' LANGUAGE internal STRICT IMMUTABLE`,
  `CREATE FUNCTION "Base Types".mytext_out("Base Types"."My Text") RETURNS cstring AS 'textout' LANGUAGE internal STRICT IMMUTABLE`,
  `CREATE FUNCTION "Base Types".mytext_recv(internal) RETURNS "Base Types"."My Text" AS 'textrecv' LANGUAGE internal STRICT IMMUTABLE`,
  `CREATE FUNCTION "Base Types".mytext_send("Base Types"."My Text") RETURNS bytea AS 'textsend' LANGUAGE internal STRICT IMMUTABLE`,
  `CREATE FUNCTION "Base Types".mytext_typmodin(cstring[]) RETURNS int4 AS 'varchartypmodin' LANGUAGE internal STRICT IMMUTABLE`,
  `CREATE FUNCTION "Base Types".mytext_typmodout(int4) RETURNS cstring AS 'varchartypmodout' LANGUAGE internal STRICT IMMUTABLE`,
  `CREATE TYPE "Base Types"."My Text" (INPUT = "Base Types".mytext_in, OUTPUT = "Base Types".mytext_out,
     RECEIVE = "Base Types".mytext_recv, SEND = "Base Types".mytext_send,
     TYPMOD_IN = "Base Types".mytext_typmodin, TYPMOD_OUT = "Base Types".mytext_typmodout,
     LIKE = text, CATEGORY = 'S', DEFAULT = 'none yet', DELIMITER = ';', COLLATABLE = true)`,
  `COMMENT ON TYPE "Base Types"."My Text" IS 'text under another name'`,
  'REVOKE USAGE ON TYPE "Base Types"."My Text" FROM PUBLIC',
  'GRANT USAGE ON TYPE "Base Types"."My Text" TO "type user"',
  'ALTER TYPE "Base Types"."My Text" OWNER TO "type user"',
  // fixed length, passed by value, with an analyze function (never run: no table uses it)
  'CREATE TYPE "Base Types".tag',
  `CREATE FUNCTION "Base Types".tag_in(cstring) RETURNS "Base Types".tag AS 'int4in' LANGUAGE internal STRICT IMMUTABLE`,
  `CREATE FUNCTION "Base Types".tag_out("Base Types".tag) RETURNS cstring AS 'int4out' LANGUAGE internal STRICT IMMUTABLE`,
  `CREATE FUNCTION "Base Types".tag_analyze(internal) RETURNS boolean AS 'array_typanalyze' LANGUAGE internal STRICT`,
  `CREATE TYPE "Base Types".tag (INPUT = "Base Types".tag_in, OUTPUT = "Base Types".tag_out, ANALYZE = "Base Types".tag_analyze,
     INTERNALLENGTH = 4, PASSEDBYVALUE, ALIGNMENT = int4, STORAGE = plain, PREFERRED = true, CATEGORY = 'N')`,
  // an ELEMENT type: subscripting gives float8s
  'CREATE TYPE "Base Types".pt',
  `CREATE FUNCTION "Base Types".pt_in(cstring) RETURNS "Base Types".pt AS 'point_in' LANGUAGE internal STRICT IMMUTABLE`,
  `CREATE FUNCTION "Base Types".pt_out("Base Types".pt) RETURNS cstring AS 'point_out' LANGUAGE internal STRICT IMMUTABLE`,
  `CREATE TYPE "Base Types".pt (INPUT = "Base Types".pt_in, OUTPUT = "Base Types".pt_out, INTERNALLENGTH = 16,
     ELEMENT = float8, ALIGNMENT = double)`,
  // C I/O functions from a library the server ships (contrib's cube), without its extension
  'CREATE TYPE "Base Types".box3',
  `CREATE FUNCTION "Base Types".box3_in(cstring) RETURNS "Base Types".box3 AS '$libdir/cube', 'cube_in' LANGUAGE C STRICT IMMUTABLE`,
  `CREATE FUNCTION "Base Types".box3_out("Base Types".box3) RETURNS cstring AS '$libdir/cube', 'cube_out' LANGUAGE C STRICT IMMUTABLE`,
  `CREATE FUNCTION "Base Types".box3_dim("Base Types".box3) RETURNS int4 AS '$libdir/cube', 'cube_dim' LANGUAGE C STRICT IMMUTABLE`,
  `CREATE TYPE "Base Types".box3 (INPUT = "Base Types".box3_in, OUTPUT = "Base Types".box3_out,
     INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = plain)`,
  // a shell never completed
  'CREATE TYPE "Base Types"."Not Yet"',
  `COMMENT ON TYPE "Base Types"."Not Yet" IS 'a shell'`,
  `CREATE TABLE "Base Types".things (id int PRIMARY KEY, t "Base Types"."My Text", ts "Base Types"."My Text"[],
     short "Base Types"."My Text"(5), p "Base Types".pt, b "Base Types".box3, bs "Base Types".box3[])`,
  `INSERT INTO "Base Types".things VALUES (1, 'one', '{a;b;"c;d"}', 'abc', '(1.5,2)', '(1,2,3),(4,5,6)', ARRAY['(1)'::"Base Types".box3])`,
];

/** pg_type rows of the schema, arrays included, as the target must hold them. */
function typesSql(withSubscript: boolean): string {
  return `SELECT t.typname, t.typtype, t.typisdefined, t.typlen, t.typbyval, t.typalign, t.typstorage,
      t.typcategory, t.typispreferred, t.typdefault, t.typelem::regtype::text AS elem, t.typdelim,
      t.typcollation <> 0 AS collatable, t.typinput::text, t.typoutput::text, t.typreceive::text,
      t.typsend::text, t.typmodin::text, t.typmodout::text, t.typanalyze::text,
      ${withSubscript ? 't.typsubscript::text' : 'NULL'} AS subscript,
      obj_description(t.oid, 'pg_type') AS comment, pg_get_userbyid(t.typowner) AS owner, t.typacl::text AS acl
    FROM pg_type t WHERE t.typnamespace = '"Base Types"'::regnamespace ORDER BY t.typname`;
}

const VALUES = `SELECT t::text, ts::text, short::text, p::text, p[1] AS p1, b::text, "Base Types".box3_dim(b) AS dim, bs::text
  FROM "Base Types".things`;

async function roundTrip(source: SandboxServer, label: string): Promise<void> {
  const sourceDb = `base types ${label} src`;
  const targetDb = `base types ${label} dst`;
  const src = await freshDatabase(source, sourceDb, clients, FIXTURE);
  const dst = await freshDatabase(pg17, targetDb, clients);
  const plan = await copySchema(src, dst, { copyOwners: true, copyPrivileges: true });
  expect(plan.skipped ?? []).toEqual([]);
  const copied = await copyRows({ server: source, database: sourceDb }, { server: pg17, database: targetDb });
  expect(copied).toBe(1);

  const expected = await src.query(typesSql(source.major >= 14));
  expect(expected.rows.map((r) => r.typname)).toEqual([
    'My Text',
    'Not Yet',
    '_My Text',
    '_box3',
    '_pt',
    '_tag',
    '_things',
    'box3',
    'pt',
    'tag',
    'things',
  ]);
  expect((await dst.query(typesSql(source.major >= 14))).rows).toEqual(expected.rows);
  expect((await dst.query(VALUES)).rows).toEqual((await src.query(VALUES)).rows);
  expect(await readSchemaObjects(dst)).toEqual(await readSchemaObjects(src));
}

describe('base and shell types', () => {
  it('are recreated with their I/O functions and options, 17 to 17', async () => {
    await roundTrip(pg17, '17');
  });

  it('are recreated with their I/O functions and options, 10 to 17', async () => {
    await roundTrip(pg10, '10');
  });
});
