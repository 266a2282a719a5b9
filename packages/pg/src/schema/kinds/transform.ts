import { quoteIdent } from '../../quote.js';
import { commentOn, statement } from '../sql-text.js';
import { functionSignatureSql } from './name-sql.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface TransformRow extends KindRow {
  type: string;
  language: string;
  /** `"s"."f"(internal)`, each optional (not both absent). */
  fromSql: string | null;
  toSql: string | null;
}

/** `FOR type LANGUAGE lang`, as CREATE, COMMENT and DROP name a transform. */
const target = (t: TransformRow) => `FOR ${t.type} LANGUAGE ${quoteIdent(t.language)}`;

/** Transforms (CREATE TRANSFORM, 9.5+) that belong to no extension. They have no owner. */
export const transformKind: ObjectKind<TransformRow> = {
  prefix: 'transform',
  catalog: 'pg_transform',
  label: 'transform',
  phase: 'pre',
  rank: 4.6,
  sql: (q) =>
    q.has('transforms')
      ? `SELECT t.oid::text AS oid, NULL::text AS nsp,
        pg_catalog.format('FOR %s LANGUAGE %I', pg_catalog.format_type(t.trftype, NULL), l.lanname) AS name,
        pg_catalog.format_type(t.trftype, NULL) AS type, l.lanname AS language,
        ${functionSignatureSql('t.trffromsql::pg_catalog.oid')} AS "fromSql",
        ${functionSignatureSql('t.trftosql::pg_catalog.oid')} AS "toSql",
        pg_catalog.obj_description(t.oid, 'pg_transform') AS comment
      FROM pg_catalog.pg_transform t JOIN pg_catalog.pg_language l ON l.oid = t.trflang
      WHERE t.oid >= 16384 AND ${q.notExtMember('pg_transform', 't.oid')}
      ORDER BY 3`
      : null,
  statements(t) {
    const what = `transform ${target(t)}`;
    const functions = [
      ...(t.fromSql ? [`FROM SQL WITH FUNCTION ${t.fromSql}`] : []),
      ...(t.toSql ? [`TO SQL WITH FUNCTION ${t.toSql}`] : []),
    ];
    return {
      create: [
        statement(`CREATE TRANSFORM ${target(t)} (${functions.join(', ')})`, what),
        ...commentOn(`TRANSFORM ${target(t)}`, t.comment ?? null, what),
      ],
    };
  },
  compare: (t) => ({
    schema: '',
    name: t.name,
    signature: { fromSql: t.fromSql, toSql: t.toSql, comment: t.comment },
  }),
};
