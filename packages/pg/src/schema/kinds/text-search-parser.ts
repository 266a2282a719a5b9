import { USER_NSP } from '../catalog-sql.js';
import { commentOn, statement } from '../sql-text.js';
import { nameSql } from './name-sql.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface ParserRow extends KindRow {
  nsp: string;
  schema: string;
  parserName: string;
  /** The parser's functions by name (their signatures are fixed by their role). */
  start: string;
  getToken: string;
  end: string;
  lexTypes: string;
  headline: string | null;
}

/** Text search parsers (CREATE TEXT SEARCH PARSER); they have no owner. */
export const textSearchParserKind: ObjectKind<ParserRow> = {
  prefix: 'tsparser',
  catalog: 'pg_ts_parser',
  label: 'text search parser',
  phase: 'pre',
  rank: 4.5,
  sql: (q) => `SELECT p.oid::text AS oid, p.prsnamespace::text AS nsp, n.nspname AS schema,
        pg_catalog.format('%I.%I', n.nspname, p.prsname) AS name, p.prsname AS "parserName",
        ${nameSql('pg_proc', 'p.prsstart')} AS start, ${nameSql('pg_proc', 'p.prstoken')} AS "getToken",
        ${nameSql('pg_proc', 'p.prsend')} AS "end", ${nameSql('pg_proc', 'p.prslextype')} AS "lexTypes",
        ${nameSql('pg_proc', 'p.prsheadline')} AS headline,
        pg_catalog.obj_description(p.oid, 'pg_ts_parser') AS comment
      FROM pg_catalog.pg_ts_parser p JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_ts_parser', 'p.oid')}
      ORDER BY 4`,
  statements(p) {
    const what = `text search parser ${p.name}`;
    const options = [
      `START = ${p.start}`,
      `GETTOKEN = ${p.getToken}`,
      `END = ${p.end}`,
      `LEXTYPES = ${p.lexTypes}`,
      ...(p.headline ? [`HEADLINE = ${p.headline}`] : []),
    ];
    return {
      create: [
        statement(`CREATE TEXT SEARCH PARSER ${p.name} (${options.join(', ')})`, what),
        ...commentOn(`TEXT SEARCH PARSER ${p.name}`, p.comment ?? null, what),
      ],
    };
  },
  compare: (p) => ({
    schema: p.schema,
    name: p.parserName,
    signature: {
      start: p.start,
      getToken: p.getToken,
      end: p.end,
      lexTypes: p.lexTypes,
      headline: p.headline,
      comment: p.comment,
    },
  }),
};
