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
  await pg17.query('CREATE ROLE "op owner"');
  await pg10.query('CREATE ROLE "op owner"');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg10?.stop()]);
});

const pair = '"Ops".pair';
const small = '"Ops".small';

const FIXTURE = [
  'CREATE SCHEMA "Ops"',
  'CREATE SCHEMA "Other Ops"',
  `CREATE TYPE ${pair} AS (a int, b int)`,
  `CREATE DOMAIN ${small} AS int CHECK (VALUE < 100)`,
  `CREATE FUNCTION "Ops".eq(${pair}, ${pair}) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1.a = $2.a AND $1.b = $2.b'`,
  `CREATE FUNCTION "Ops".ne(${pair}, ${pair}) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT NOT ($1.a = $2.a AND $1.b = $2.b)'`,
  `CREATE FUNCTION "Ops".lt(${pair}, ${pair}) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT ($1.a, $1.b) < ($2.a, $2.b)'`,
  `CREATE FUNCTION "Ops".gt(${pair}, ${pair}) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT ($1.a, $1.b) > ($2.a, $2.b)'`,
  `CREATE FUNCTION "Ops"."small plus"(${small}, ${pair}) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2.a'`,
  `CREATE FUNCTION "Ops"."plus small"(${pair}, ${small}) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $2 + $1.a'`,
  `CREATE FUNCTION "Ops".neg(${pair}) RETURNS ${pair} LANGUAGE sql IMMUTABLE AS 'SELECT ROW(-$1.a, -$1.b)::"Ops".pair'`,
  // A self-commutator whose negator does not exist yet: CREATE makes !== as a shell, filled next.
  `CREATE OPERATOR "Ops".=== (LEFTARG = ${pair}, RIGHTARG = ${pair}, PROCEDURE = "Ops".eq,
     COMMUTATOR = OPERATOR("Ops".===), NEGATOR = OPERATOR("Ops".!==), RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES)`,
  `CREATE OPERATOR "Ops".!== (LEFTARG = ${pair}, RIGHTARG = ${pair}, PROCEDURE = "Ops".ne,
     COMMUTATOR = OPERATOR("Ops".!==), NEGATOR = OPERATOR("Ops".===), RESTRICT = neqsel, JOIN = neqjoinsel)`,
  // Mutual commutators in two schemas, and negators of each other.
  `CREATE OPERATOR "Ops".<<< (LEFTARG = ${pair}, RIGHTARG = ${pair}, PROCEDURE = "Ops".lt,
     COMMUTATOR = OPERATOR("Other Ops".>>>), RESTRICT = scalarltsel, JOIN = scalarltjoinsel)`,
  `CREATE OPERATOR "Other Ops".>>> (LEFTARG = ${pair}, RIGHTARG = ${pair}, PROCEDURE = "Ops".gt,
     COMMUTATOR = OPERATOR("Ops".<<<), RESTRICT = scalargtsel, JOIN = scalargtjoinsel)`,
  // Commutators with the operand types swapped, on a domain and a composite type.
  `CREATE OPERATOR "Ops".#+# (LEFTARG = ${small}, RIGHTARG = ${pair}, PROCEDURE = "Ops"."small plus", COMMUTATOR = OPERATOR("Ops".#+#))`,
  `CREATE OPERATOR "Ops".#+# (LEFTARG = ${pair}, RIGHTARG = ${small}, PROCEDURE = "Ops"."plus small", COMMUTATOR = OPERATOR("Ops".#+#))`,
  // A prefix operator.
  `CREATE OPERATOR "Ops".- (RIGHTARG = ${pair}, PROCEDURE = "Ops".neg)`,
  // A commutator never completed: a shell the other names.
  `CREATE OPERATOR "Ops".@@ (LEFTARG = ${small}, RIGHTARG = ${pair}, PROCEDURE = "Ops"."small plus", COMMUTATOR = OPERATOR("Ops".@@@))`,
  // A shell left behind when the operator that named it was dropped.
  `CREATE OPERATOR "Ops".#?# (LEFTARG = int, RIGHTARG = int, PROCEDURE = int4eq, NEGATOR = OPERATOR("Ops".#!#))`,
  `DROP OPERATOR "Ops".#?# (int, int)`,
  `COMMENT ON OPERATOR "Ops".=== (${pair}, ${pair}) IS 'same pair'`,
  `COMMENT ON OPERATOR "Ops".- (NONE, ${pair}) IS 'negated'`,
  `COMMENT ON OPERATOR "Ops".@@@ (${pair}, ${small}) IS 'never completed'`,
  `COMMENT ON OPERATOR "Ops".#!# (int, int) IS 'left behind'`,
  `ALTER OPERATOR "Other Ops".>>> (${pair}, ${pair}) OWNER TO "op owner"`,
];

/** Every user operator as the catalog holds it, links by name. */
const OPERATORS = `SELECT o.oprnamespace::regnamespace::text || '.' || o.oprname
      || '(' || COALESCE(format_type(NULLIF(o.oprleft, 0), NULL), 'NONE') || ', ' || COALESCE(format_type(NULLIF(o.oprright, 0), NULL), 'NONE') || ')' AS op,
    o.oprkind::text AS kind, o.oprcode::regprocedure::text AS code, o.oprresult::regtype::text AS result,
    o.oprcom::regoperator::text AS com, o.oprnegate::regoperator::text AS neg, o.oprrest::text AS rest, o.oprjoin::text AS join,
    o.oprcanhash AS hashes, o.oprcanmerge AS merges, pg_get_userbyid(o.oprowner) AS owner, obj_description(o.oid, 'pg_operator') AS comment
  FROM pg_operator o WHERE o.oid >= 16384 ORDER BY 1`;

async function roundTrip(source: pg.Client, target: pg.Client): Promise<void> {
  await copySchema(source, target, { copyOwners: true });
  const expected = (await source.query(OPERATORS)).rows;
  expect(expected).toHaveLength(10);
  expect((await target.query(OPERATORS)).rows).toEqual(expected);
  expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));

  const use =
    await target.query(`SELECT ROW(1, 2)::"Ops".pair OPERATOR("Ops".===) ROW(1, 2)::"Ops".pair AS same,
      ROW(1, 2)::"Ops".pair OPERATOR("Ops".!==) ROW(1, 2)::"Ops".pair AS differ,
      ROW(1, 2)::"Ops".pair OPERATOR("Other Ops".>>>) ROW(0, 9)::"Ops".pair AS greater,
      3::"Ops".small OPERATOR("Ops".#+#) ROW(4, 0)::"Ops".pair AS left_sum,
      ROW(4, 0)::"Ops".pair OPERATOR("Ops".#+#) 3::"Ops".small AS right_sum,
      (OPERATOR("Ops".-) ROW(1, 2)::"Ops".pair)::text AS negated`);
  expect(use.rows).toEqual([
    { same: true, differ: false, greater: true, left_sum: 7, right_sum: 7, negated: '(-1,-2)' },
  ]);
}

describe('user-defined operators', () => {
  it('are recreated on 17 from 17 with their links, shells, owners and comments', async () => {
    const source = await freshDatabase(pg17, 'operator src', clients, FIXTURE);
    const target = await freshDatabase(pg17, 'operator dst', clients);
    await roundTrip(source, target);
  });

  it('are recreated on 17 from 10', async () => {
    const source = await freshDatabase(pg10, 'operator src 10', clients, FIXTURE);
    const target = await freshDatabase(pg17, 'operator dst 10', clients);
    await roundTrip(source, target);
  });
});
