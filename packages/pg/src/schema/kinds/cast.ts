import { commentOn, statement } from '../sql-text.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface CastRow extends KindRow {
  source: string;
  target: string;
  /** f: WITH FUNCTION, i: WITH INOUT, b: WITHOUT FUNCTION (binary coercible) */
  method: 'f' | 'i' | 'b';
  /** e: explicit only, a: in assignment, i: implicit */
  context: 'e' | 'a' | 'i';
  /** `"s"."f"(argtypes)` when method is f */
  func: string | null;
}

const CONTEXT = { e: '', a: ' AS ASSIGNMENT', i: ' AS IMPLICIT' } as const;

/** User-defined casts (CREATE CAST). Those made by CREATE TYPE or an extension come with them. */
export const castKind: ObjectKind<CastRow> = {
  prefix: 'cast',
  catalog: 'pg_cast',
  label: 'cast',
  phase: 'pre',
  rank: 4.8,
  sql: (q) => `SELECT k.oid::text AS oid, NULL::text AS nsp,
        pg_catalog.format('(%s AS %s)', pg_catalog.format_type(k.castsource, NULL), pg_catalog.format_type(k.casttarget, NULL)) AS name,
        pg_catalog.format_type(k.castsource, NULL) AS source, pg_catalog.format_type(k.casttarget, NULL) AS target,
        k.castmethod::text AS method, k.castcontext::text AS context,
        CASE WHEN k.castfunc <> 0 THEN (SELECT pg_catalog.format('%I.%I(%s)', pn.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid))
          FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace WHERE p.oid = k.castfunc) END AS func,
        pg_catalog.obj_description(k.oid, 'pg_cast') AS comment
      FROM pg_catalog.pg_cast k
      WHERE k.oid >= 16384 AND ${q.notExtMember('pg_cast', 'k.oid')}
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND i.objid = k.oid AND i.deptype = 'i')
      ORDER BY 3`,
  statements(c) {
    const what = `cast ${c.name}`;
    const how =
      c.method === 'f' ? `WITH FUNCTION ${c.func}` : c.method === 'i' ? 'WITH INOUT' : 'WITHOUT FUNCTION';
    return {
      create: [
        statement(`CREATE CAST ${c.name} ${how}${CONTEXT[c.context]}`, what),
        ...commentOn(`CAST ${c.name}`, c.comment ?? null, what),
      ],
    };
  },
  compare: (c) => ({
    schema: '',
    name: c.name,
    signature: { method: c.method, context: c.context, func: c.func, comment: c.comment },
  }),
};
