import { readSchemaObjects } from '@pgshift/pg';
import { describe, expect, it } from 'vitest';
import { copySchema, serverForFile } from './schema-helpers.js';

const pg17 = serverForFile(17);

const MOVING = `SELECT aggfnoid::regprocedure::text AS f, aggmtransfn::regproc::text AS m, aggminvtransfn::regproc::text AS i,
    format_type(aggmtranstype, NULL) AS t, aggmtransspace AS s, aggmfinalfn::regproc::text AS ff, aggmfinalextra AS fe,
    aggmfinalmodify::text AS fm, aggminitval AS init
  FROM pg_aggregate WHERE aggfnoid::regproc::text LIKE '%sum_moving%' ORDER BY 1`;

describe('an aggregate with a moving-aggregate mode', () => {
  it('keeps MSFUNC, MINVFUNC, MSTYPE, MFINALFUNC and MINITCOND', async () => {
    const source = await pg17.database('magg src', [
      `CREATE FUNCTION public.add_it(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2'`,
      `CREATE FUNCTION public.sub_it(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT $1 - $2'`,
      `CREATE FUNCTION public.half(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT $1 / 2'`,
      `CREATE AGGREGATE public."sum_moving"(numeric) (SFUNC = public.add_it, STYPE = numeric, INITCOND = '0',
         MSFUNC = public.add_it, MINVFUNC = public.sub_it, MSTYPE = numeric, MFINALFUNC = public.half,
         MFINALFUNC_EXTRA, MINITCOND = '10', MSSPACE = 16)`,
    ]);
    const target = await pg17.database('magg dst');
    await copySchema(source, target);

    const expected = await source.query(MOVING);
    expect(expected.rows[0]).toMatchObject({ m: 'add_it', i: 'sub_it', init: '10', fe: true });
    expect((await target.query(MOVING)).rows).toEqual(expected.rows);
    expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));
  });
});
