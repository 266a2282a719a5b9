import { readSchemaObjects } from '@pgshift/pg';
import { describe, expect, it } from 'vitest';
import { copySchema, serverForFile } from './schema-helpers.js';

const pg17 = serverForFile(17);

const CASTS = `SELECT format_type(castsource, NULL) || ' -> ' || format_type(casttarget, NULL) || ' ' || castmethod::text || castcontext::text
    || COALESCE(' ' || castfunc::regprocedure::text, '') || COALESCE(' ' || obj_description(oid, 'pg_cast'), '') AS c
  FROM pg_cast WHERE oid >= 16384 ORDER BY 1`;

describe('user-defined casts', () => {
  it('are recreated with their method, context, function and comment', async () => {
    const source = await pg17.database('cast src', [
      'CREATE SCHEMA "Casts"',
      'CREATE TYPE "Casts".pair AS (a int, b int)',
      'CREATE DOMAIN "Casts".small AS int CHECK (VALUE < 100)',
      `CREATE FUNCTION "Casts"."pair of"(text) RETURNS "Casts".pair LANGUAGE sql IMMUTABLE AS $$ SELECT (split_part($1, ',', 1)::int, split_part($1, ',', 2)::int)::"Casts".pair $$`,
      `CREATE CAST (text AS "Casts".pair) WITH FUNCTION "Casts"."pair of"(text) AS ASSIGNMENT`,
      `COMMENT ON CAST (text AS "Casts".pair) IS 'a,b'`,
      'CREATE CAST ("Casts".pair AS json) WITH INOUT AS IMPLICIT',
    ]);
    const target = await pg17.database('cast dst');
    await copySchema(source, target);

    const expected = await source.query(CASTS);
    expect(expected.rows).toHaveLength(2);
    expect((await target.query(CASTS)).rows).toEqual(expected.rows);
    expect((await target.query(`SELECT ('1,2'::text)::"Casts".pair::text AS p`)).rows).toEqual([
      { p: '(1,2)' },
    ]);
    expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));
  });
});
