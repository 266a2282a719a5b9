import { readSchemaObjects } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySchema, freshDatabase } from './schema-helpers.js';

let pg17: SandboxServer;
let pg15: SandboxServer;
const clients: pg.Client[] = [];

beforeAll(async () => {
  [pg17, pg15] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 15 })]);
  await pg17.query('CREATE ROLE "class owner"');
  await pg15.query('CREATE ROLE "class owner"');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg15?.stop()]);
});

const pair = '"Cls".pair';
const compare = (op: string, name: string) =>
  `CREATE FUNCTION "Cls".${name}(${pair}, ${pair}) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT "Cls".cmp($1, $2) ${op} 0'`;
const operator = (op: string, name: string, commutator: string, negator: string) =>
  `CREATE OPERATOR "Cls".${op} (LEFTARG = ${pair}, RIGHTARG = ${pair}, PROCEDURE = "Cls".${name},
     COMMUTATOR = OPERATOR("Cls".${commutator}), NEGATOR = OPERATOR("Cls".${negator}))`;

const FIXTURE = [
  'CREATE SCHEMA "Cls"',
  `CREATE TYPE ${pair} AS (a int, b int)`,
  'CREATE DOMAIN "Cls".small AS int',
  `CREATE FUNCTION "Cls".cmp(${pair}, ${pair}) RETURNS int LANGUAGE sql IMMUTABLE
     AS 'SELECT CASE WHEN ($1.a, $1.b) < ($2.a, $2.b) THEN -1 WHEN ($1.a, $1.b) > ($2.a, $2.b) THEN 1 ELSE 0 END'`,
  compare('<', 'lt'),
  compare('<=', 'le'),
  compare('=', 'eq'),
  compare('>=', 'ge'),
  compare('>', 'gt'),
  operator('<', 'lt', '>', '>='),
  operator('<=', 'le', '>=', '>'),
  operator('=', 'eq', '=', '<>'),
  operator('>=', 'ge', '<=', '<'),
  operator('>', 'gt', '<', '<='),
  `CREATE FUNCTION "Cls".ne(${pair}, ${pair}) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT "Cls".cmp($1, $2) <> 0'`,
  `CREATE OPERATOR "Cls".<> (LEFTARG = ${pair}, RIGHTARG = ${pair}, PROCEDURE = "Cls".ne, COMMUTATOR = OPERATOR("Cls".<>), NEGATOR = OPERATOR("Cls".=))`,
  // A btree class, default for the composite type, built from the functions above.
  `CREATE OPERATOR CLASS "Cls".pair_ops DEFAULT FOR TYPE ${pair} USING btree AS
     OPERATOR 1 "Cls".<, OPERATOR 2 "Cls".<=, OPERATOR 3 "Cls".=, OPERATOR 4 "Cls".>=, OPERATOR 5 "Cls".>,
     FUNCTION 1 "Cls".cmp(${pair}, ${pair})`,
  `COMMENT ON OPERATOR CLASS "Cls".pair_ops USING btree IS 'pairs in order'`,
  `COMMENT ON OPERATOR FAMILY "Cls".pair_ops USING btree IS 'the class''s own family'`,
  // A hash family made first, a class in it, and a loose member added afterwards.
  `CREATE FUNCTION "Cls".hash(${pair}) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT hashint4($1.a) # hashint4($1.b)'`,
  `CREATE FUNCTION "Cls".hash_ext(p ${pair}, seed bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT hashint4extended(p.a, seed) # hashint4extended(p.b, seed)'`,
  'CREATE OPERATOR FAMILY "Cls".pair_hash USING hash',
  `CREATE OPERATOR CLASS "Cls".pair_hash_ops DEFAULT FOR TYPE ${pair} USING hash FAMILY "Cls".pair_hash AS
     OPERATOR 1 "Cls".=, FUNCTION 1 "Cls".hash(${pair})`,
  `ALTER OPERATOR FAMILY "Cls".pair_hash USING hash ADD FUNCTION 2 "Cls".hash_ext(p ${pair}, seed bigint)`,
  `ALTER OPERATOR FAMILY "Cls".pair_hash USING hash OWNER TO "class owner"`,
  // A family with loose members only, and a user member in a family of the server's own.
  'CREATE OPERATOR FAMILY "Cls".loose_only USING hash',
  `ALTER OPERATOR FAMILY "Cls".loose_only USING hash ADD OPERATOR 1 "Cls".= (${pair}, ${pair}), FUNCTION 1 (${pair}, ${pair}) "Cls".hash(${pair})`,
  `CREATE FUNCTION "Cls".small_cmp(int, "Cls".small) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT btint4cmp($1, $2)'`,
  'ALTER OPERATOR FAMILY pg_catalog.integer_ops USING btree ADD FUNCTION 1 (int, "Cls".small) "Cls".small_cmp(int, "Cls".small)',
  // Users of the classes: indexes and a range type over the composite type.
  `CREATE TYPE "Cls".pair_range AS RANGE (SUBTYPE = ${pair}, SUBTYPE_OPCLASS = "Cls".pair_ops)`,
  `CREATE TABLE "Cls".t (id int, p ${pair}, r "Cls".pair_range)`,
  'CREATE INDEX t_p ON "Cls".t (p)',
  'CREATE INDEX t_p_hash ON "Cls".t USING hash (p "Cls".pair_hash_ops)',
];

const CLASSES = `SELECT c.opcnamespace::regnamespace::text || '.' || c.opcname AS name, am.amname, c.opcintype::regtype::text AS type,
    c.opcdefault, f.opfname AS family, c.opckeytype::regtype::text AS storage, pg_get_userbyid(c.opcowner) AS owner,
    obj_description(c.oid, 'pg_opclass') AS comment
  FROM pg_opclass c JOIN pg_am am ON am.oid = c.opcmethod JOIN pg_opfamily f ON f.oid = c.opcfamily
  WHERE c.oid >= 16384 ORDER BY 1, 2`;
const FAMILIES = `SELECT f.opfnamespace::regnamespace::text || '.' || f.opfname AS name, am.amname, pg_get_userbyid(f.opfowner) AS owner,
    obj_description(f.oid, 'pg_opfamily') AS comment
  FROM pg_opfamily f JOIN pg_am am ON am.oid = f.opfmethod WHERE f.oid >= 16384 ORDER BY 1, 2`;
/** Each member with what it is bound to: its class, or its family when loose. */
const bound = (catalog: string, id: string) => `(SELECT string_agg(CASE d.refclassid
      WHEN 'pg_opclass'::regclass THEN 'class ' || (SELECT opcname FROM pg_opclass WHERE oid = d.refobjid)
      ELSE 'family ' || (SELECT opfname FROM pg_opfamily WHERE oid = d.refobjid) END || ' ' || d.deptype::text, ', ')
    FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${id} AND d.refclassid IN ('pg_opclass'::regclass, 'pg_opfamily'::regclass))`;
const MEMBERS = `SELECT f.opfname, 'operator ' || a.amopstrategy AS member, a.amoplefttype::regtype::text AS l, a.amoprighttype::regtype::text AS r,
    a.amopopr::regoperator::text AS what, a.amoppurpose::text AS purpose, ${bound('pg_amop', 'a.oid')} AS bound
  FROM pg_amop a JOIN pg_opfamily f ON f.oid = a.amopfamily WHERE a.oid >= 16384
  UNION ALL SELECT f.opfname, 'function ' || p.amprocnum, p.amproclefttype::regtype::text, p.amprocrighttype::regtype::text,
    p.amproc::regprocedure::text, NULL, ${bound('pg_amproc', 'p.oid')}
  FROM pg_amproc p JOIN pg_opfamily f ON f.oid = p.amprocfamily WHERE p.oid >= 16384
  ORDER BY 1, 2, 3, 4`;

async function rows(client: pg.Client, sql: string) {
  return (await client.query(sql)).rows;
}

async function roundTrip(source: pg.Client, target: pg.Client): Promise<void> {
  await copySchema(source, target, { copyOwners: true });
  const classes = await rows(source, CLASSES);
  expect(classes).toHaveLength(2);
  expect(await rows(target, CLASSES)).toEqual(classes);
  const families = await rows(source, FAMILIES);
  expect(families).toHaveLength(3);
  expect(await rows(target, FAMILIES)).toEqual(families);
  const members = await rows(source, MEMBERS);
  expect(members).toHaveLength(12);
  expect(await rows(target, MEMBERS)).toEqual(members);
  // Bound to their class: the btree class's five operators and function, the hash class's two.
  expect(members.filter((m) => m.bound?.startsWith('class'))).toHaveLength(8);
  expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));

  // The indexes use the classes; the range type orders by the btree class.
  const indexClasses = await rows(
    target,
    `SELECT i.indexrelid::regclass::text AS index, c.opcname FROM pg_index i JOIN pg_opclass c ON c.oid = i.indclass[0]
      WHERE i.indrelid = '"Cls".t'::regclass ORDER BY 1`,
  );
  expect(indexClasses).toEqual([
    { index: '"Cls".t_p', opcname: 'pair_ops' },
    { index: '"Cls".t_p_hash', opcname: 'pair_hash_ops' },
  ]);
  await target.query(
    `INSERT INTO "Cls".t SELECT g, ROW(g % 7, g)::"Cls".pair, NULL FROM generate_series(1, 200) g`,
  );
  await target.query('SET enable_seqscan = off');
  const first = await rows(
    target,
    `SELECT t.p::text AS v FROM "Cls".t t ORDER BY t.p USING OPERATOR("Cls".<) LIMIT 2`,
  );
  expect(first).toEqual([{ v: '(0,7)' }, { v: '(0,14)' }]);
  const hashed = await rows(
    target,
    `SELECT count(*)::int AS n FROM "Cls".t WHERE p OPERATOR("Cls".=) ROW(3, 10)::"Cls".pair`,
  );
  expect(hashed).toEqual([{ n: 1 }]);
  await target.query('RESET enable_seqscan');
  const range = await rows(
    target,
    `SELECT "Cls".pair_range(ROW(1, 1)::"Cls".pair, ROW(2, 0)::"Cls".pair) @> ROW(1, 5)::"Cls".pair AS inside`,
  );
  expect(range).toEqual([{ inside: true }]);
}

describe('operator classes and families', () => {
  it('are recreated on 17 from 17 with bound and loose members, owners and comments', async () => {
    const source = await freshDatabase(pg17, 'opclass src', clients, FIXTURE);
    const target = await freshDatabase(pg17, 'opclass dst', clients);
    await roundTrip(source, target);
  });

  it('are recreated on 17 from 15', async () => {
    const source = await freshDatabase(pg15, 'opclass src 15', clients, FIXTURE);
    const target = await freshDatabase(pg17, 'opclass dst 15', clients);
    await roundTrip(source, target);
  });
});
