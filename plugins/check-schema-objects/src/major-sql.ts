import { catalogSql, USER_NSP } from '@pgshift/pg';

/*
 * Catalog reads on the source about what a later major may lack. They run on 9.3 to 18; the
 * objects they look at are those the schema copy creates: user schemas, no extension members.
 */

/** One user object's use of a built-in type; the `rel*` fields and `column` for columns and attributes. */
export interface TypeUseRow {
  kind: string;
  name: string;
  type: string;
  typname: string;
  relSchema: string | null;
  relName: string | null;
  relkind: string | null;
  column: string | null;
}

/**
 * Every use of a type by a user object: columns of tables, views, materialized views, foreign
 * tables and composite types, domains' base types, range subtypes, and function signatures.
 */
function typeUses(v: number): string {
  const q = catalogSql(v);
  return `SELECT CASE WHEN c.relkind = 'c' THEN 'attribute' ELSE 'column' END AS kind,
        pg_catalog.format('%I.%I.%I', n.nspname, c.relname, a.attname) AS name, a.atttypid AS typ,
        n.nspname AS "relSchema", c.relname AS "relName", c.relkind::text AS relkind, a.attname AS "column"
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'c', 'f') AND a.attnum > 0 AND NOT a.attisdropped
        AND ${USER_NSP} AND ${q.notExtMember('pg_class', 'c.oid')}
    UNION ALL SELECT 'domain', pg_catalog.format('%I.%I', n.nspname, t.typname), t.typbasetype, NULL, NULL, NULL, NULL
      FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'd' AND ${USER_NSP} AND ${q.notExtMember('pg_type', 't.oid')}
    UNION ALL SELECT 'range type', pg_catalog.format('%I.%I', n.nspname, t.typname), r.rngsubtype, NULL, NULL, NULL, NULL
      FROM pg_catalog.pg_range r JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid
        JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_type', 't.oid')}
    UNION ALL SELECT 'function', pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)),
        x.typ, NULL, NULL, NULL, NULL
      FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace,
        pg_catalog.unnest(COALESCE(p.proallargtypes, p.proargtypes::pg_catalog.oid[]) || p.prorettype) AS x(typ)
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_proc', 'p.oid')}`;
}

const BUILT_IN_TYPE = `JOIN pg_catalog.pg_type bt ON bt.oid = u.typ
      JOIN pg_catalog.pg_namespace bn ON bn.oid = bt.typnamespace AND bn.nspname = 'pg_catalog'`;

/** The names of the built-in types user objects use. */
export function builtInTypesUsedSql(v: number): string {
  return `SELECT DISTINCT bt.typname::text AS name FROM (${typeUses(v)}) u ${BUILT_IN_TYPE} ORDER BY 1`;
}

/** The user objects that use the built-in types named in $1 (text[]), as TypeUseRow. */
export function usesOfBuiltInTypesSql(v: number): string {
  return `SELECT u.kind, u.name, pg_catalog.format_type(u.typ, NULL) AS type, bt.typname::text AS typname,
        u."relSchema", u."relName", u.relkind, u."column"
      FROM (${typeUses(v)}) u ${BUILT_IN_TYPE}
      WHERE bt.typname::text = ANY ($1::text[]) ORDER BY u.kind, u.name`;
}

/** Target: which of the built-in type names in $1 (text[]) it does not have. */
export const MISSING_BUILT_IN_TYPES_SQL = `SELECT x AS name FROM pg_catalog.unnest($1::text[]) AS x
  WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                     WHERE n.nspname = 'pg_catalog' AND t.typname::text = x)`;

/** Tables WITH OIDS; only for sources that still have `relhasoids`. */
export function tablesWithOidsSql(v: number): string {
  const q = catalogSql(v);
  return `SELECT n.nspname AS schema, c.relname AS name
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relhasoids AND c.relkind IN ('r', 'p') AND ${USER_NSP} AND ${q.notExtMember('pg_class', 'c.oid')}
      ORDER BY 1, 2`;
}

/** Postfix (right-unary) operators: `name` is schema-qualified, `operand` its left argument type. */
export function postfixOperatorsSql(v: number): string {
  const q = catalogSql(v);
  return `SELECT pg_catalog.format('%I.%s', n.nspname, o.oprname) AS name, pg_catalog.format_type(o.oprleft, NULL) AS operand
      FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
      WHERE o.oprkind = 'r' AND ${USER_NSP} AND ${q.notExtMember('pg_operator', 'o.oid')}
      ORDER BY 1, 2`;
}

/** One built-in function a user aggregate or operator is made of. */
export interface SupportRow {
  kind: 'aggregate' | 'operator' | 'cast' | 'transform';
  name: string;
  /** The built-in function's name, and `name(identity arguments)`. */
  function: string;
  signature: string;
  /**
   * Whether the object needs the function's exact signature: an aggregate or operator that takes
   * or keeps a polymorphic type (anyelement, anyarray...), and every cast and transform, which
   * name their functions with argument types.
   */
  polymorphic: boolean;
}

// `any_%`: a name longer than "any" (anyelement, anyarray, ...), not the pseudo-type "any" itself.
const POLYMORPHIC = (oids: string) =>
  `EXISTS (SELECT 1 FROM pg_catalog.pg_type pt WHERE pt.oid = ANY (${oids}) AND pt.typtype = 'p' AND pt.typname::text LIKE 'any_%')`;

const SIGNATURE = (p: string) =>
  `${p}.proname || '(' || pg_catalog.pg_get_function_identity_arguments(${p}.oid) || ')'`;

/** The built-in functions user aggregates, operators, casts and transforms call (transition, final, operator code...). */
export function supportFunctionsSql(v: number): string {
  const q = catalogSql(v);
  const aggregateFns = [
    'a.aggtransfn',
    'a.aggfinalfn',
    ...(q.has('aggregateKinds') ? ['a.aggmtransfn', 'a.aggminvtransfn', 'a.aggmfinalfn'] : []),
    ...(q.has('parallelSafety') ? ['a.aggcombinefn', 'a.aggserialfn', 'a.aggdeserialfn'] : []),
  ];
  return `SELECT 'aggregate' AS kind,
        pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) AS name,
        f.proname::text AS function, ${SIGNATURE('f')} AS signature,
        ${POLYMORPHIC('p.proargtypes::pg_catalog.oid[] || a.aggtranstype')} AS polymorphic
      FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace,
        pg_catalog.unnest(ARRAY[${aggregateFns.map((c) => `${c}::pg_catalog.oid`).join(', ')}]) AS s(fn)
        JOIN pg_catalog.pg_proc f ON f.oid = s.fn
        JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace AND fn.nspname = 'pg_catalog'
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_proc', 'p.oid')}
    UNION ALL SELECT 'operator',
        pg_catalog.format('%I.%s(%s, %s)', n.nspname, o.oprname,
          CASE WHEN o.oprleft = 0 THEN 'NONE' ELSE pg_catalog.format_type(o.oprleft, NULL) END,
          CASE WHEN o.oprright = 0 THEN 'NONE' ELSE pg_catalog.format_type(o.oprright, NULL) END),
        f.proname::text, ${SIGNATURE('f')}, ${POLYMORPHIC('ARRAY[o.oprleft, o.oprright]')}
      FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
        JOIN pg_catalog.pg_proc f ON f.oid = o.oprcode::pg_catalog.oid
        JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace AND fn.nspname = 'pg_catalog'
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_operator', 'o.oid')}
    UNION ALL SELECT 'cast',
        pg_catalog.format('(%s AS %s)', pg_catalog.format_type(k.castsource, NULL), pg_catalog.format_type(k.casttarget, NULL)),
        f.proname::text, ${SIGNATURE('f')}, true
      FROM pg_catalog.pg_cast k JOIN pg_catalog.pg_proc f ON f.oid = k.castfunc
        JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace AND fn.nspname = 'pg_catalog'
      WHERE k.oid >= 16384 AND ${q.notExtMember('pg_cast', 'k.oid')}
    ${
      q.has('transforms')
        ? `UNION ALL SELECT 'transform',
        pg_catalog.format('FOR %s LANGUAGE %I', pg_catalog.format_type(t.trftype, NULL), l.lanname),
        f.proname::text, ${SIGNATURE('f')}, true
      FROM pg_catalog.pg_transform t JOIN pg_catalog.pg_language l ON l.oid = t.trflang,
        pg_catalog.unnest(ARRAY[t.trffromsql::pg_catalog.oid, t.trftosql::pg_catalog.oid]) AS s(fn)
        JOIN pg_catalog.pg_proc f ON f.oid = s.fn
        JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace AND fn.nspname = 'pg_catalog'
      WHERE ${q.notExtMember('pg_transform', 't.oid')}`
        : ''
    }
      ORDER BY 1, 2, 4`;
}

/** Target: the built-in functions named in $1 (text[]), as `name` and `signature`. */
export const BUILT_IN_FUNCTIONS_SQL = `SELECT p.proname::text AS name, ${SIGNATURE('p')} AS signature
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'pg_catalog' AND p.proname::text = ANY ($1::text[])`;
