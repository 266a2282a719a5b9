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
  for (const server of [pg17, pg10]) await server.query('CREATE ROLE "lang owner"; CREATE ROLE "lang user"');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg10?.stop()]);
});

/*
 * Two more names for PL/pgSQL: one with handlers of its own (C functions from plpgsql's library,
 * which must be recreated first), trusted, with privileges; one untrusted on plpgsql's own
 * handler in pg_catalog. Functions in each must come after their language.
 */
const FIXTURE = [
  'CREATE SCHEMA "Langs"',
  `CREATE FUNCTION "Langs".handler() RETURNS language_handler AS '$libdir/plpgsql', 'plpgsql_call_handler' LANGUAGE C`,
  `CREATE FUNCTION "Langs"."check it"(oid) RETURNS void AS '$libdir/plpgsql', 'plpgsql_validator' LANGUAGE C STRICT`,
  `CREATE TRUSTED LANGUAGE "pl Two" HANDLER "Langs".handler INLINE plpgsql_inline_handler VALIDATOR "Langs"."check it"`,
  `COMMENT ON LANGUAGE "pl Two" IS 'plpgsql, twice'`,
  'REVOKE USAGE ON LANGUAGE "pl Two" FROM PUBLIC',
  'GRANT USAGE ON LANGUAGE "pl Two" TO "lang user" WITH GRANT OPTION',
  'ALTER LANGUAGE "pl Two" OWNER TO "lang owner"',
  'CREATE LANGUAGE plthree HANDLER plpgsql_call_handler',
  `CREATE FUNCTION "Langs".answer() RETURNS int LANGUAGE "pl Two" AS $$ BEGIN RETURN 42; END $$`,
  `CREATE FUNCTION "Langs".other(n int) RETURNS int LANGUAGE plthree AS $$ BEGIN RETURN n + 1; END $$`,
];

const LANGUAGES = `SELECT l.lanname, l.lanispl, l.lanpltrusted, l.lanplcallfoid::regproc::text AS handler,
    l.laninline::regproc::text AS inline, l.lanvalidator::regproc::text AS validator,
    obj_description(l.oid, 'pg_language') AS comment, pg_get_userbyid(l.lanowner) AS owner, l.lanacl::text AS acl
  FROM pg_language l WHERE l.oid >= 16384 ORDER BY l.lanname`;

const HANDLERS = `SELECT p.proname, l.lanname, p.probin, p.prosrc FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
  WHERE p.pronamespace = '"Langs"'::regnamespace ORDER BY p.proname`;

async function roundTrip(source: SandboxServer, label: string): Promise<void> {
  const src = await freshDatabase(source, `lang ${label} src`, clients, FIXTURE);
  const dst = await freshDatabase(pg17, `lang ${label} dst`, clients);
  await copySchema(src, dst, { copyOwners: true, copyPrivileges: true });

  const expected = await src.query(LANGUAGES);
  expect(expected.rows.map((r) => r.lanname)).toEqual(['pl Two', 'plthree']);
  expect((await dst.query(LANGUAGES)).rows).toEqual(expected.rows);
  const handlers = await src.query(HANDLERS);
  expect(handlers.rows.filter((r) => r.lanname === 'c')).toHaveLength(2);
  expect((await dst.query(HANDLERS)).rows).toEqual(handlers.rows);
  expect((await dst.query(`SELECT "Langs".answer() AS a, "Langs".other(1) AS b`)).rows).toEqual([
    { a: 42, b: 2 },
  ]);
  await dst.query(`DO LANGUAGE "pl Two" $$ BEGIN PERFORM 1; END $$`);
  expect(await readSchemaObjects(dst)).toEqual(await readSchemaObjects(src));
}

describe('procedural languages', () => {
  it('are recreated with their handlers, trust, owner, privileges and comment, 17 to 17', async () => {
    await roundTrip(pg17, '17');
  });

  it('are recreated with their handlers, trust, owner, privileges and comment, 10 to 17', async () => {
    await roundTrip(pg10, '10');
  });

  it('made from a template before 13 are made again by name', async () => {
    const src = await freshDatabase(pg10, 'lang template src', clients, [
      'DROP EXTENSION plpgsql',
      'CREATE LANGUAGE plpgsql',
      'CREATE FUNCTION public.answer() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 42; END $$',
    ]);
    const dst = await freshDatabase(pg17, 'lang template dst', clients);
    const plan = await copySchema(src, dst);
    expect(plan.preData.map((s) => s.sql)).toContain('CREATE OR REPLACE LANGUAGE "plpgsql"');
    expect((await dst.query('SELECT public.answer() AS a')).rows).toEqual([{ a: 42 }]);
  });
});
