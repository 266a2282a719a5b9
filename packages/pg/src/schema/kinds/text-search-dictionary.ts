import { USER_NSP } from '../catalog-sql.js';
import { ownerDdl } from '../ddl-acl.js';
import { commentOn, statement } from '../sql-text.js';
import { nameSql } from './name-sql.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface DictionaryRow extends KindRow {
  nsp: string;
  schema: string;
  dictName: string;
  /** `s.t` */
  template: string;
  /** dictinitoption: `name = 'value', ...` as the server wrote it from the CREATE's options. */
  options: string | null;
}

/**
 * Text search dictionaries (CREATE TEXT SEARCH DICTIONARY), with their options. CREATE runs the
 * template's init function, so a dictionary whose options name files (ispell's DictFile and
 * AffFile, synonym's Synonyms, thesaurus's DictFile) needs those files in the target server's
 * tsearch_data directory, and fails naming the file where one is missing.
 */
export const textSearchDictionaryKind: ObjectKind<DictionaryRow> = {
  prefix: 'tsdict',
  catalog: 'pg_ts_dict',
  label: 'text search dictionary',
  phase: 'pre',
  rank: 4.6,
  sql: (q) => `SELECT d.oid::text AS oid, d.dictnamespace::text AS nsp, n.nspname AS schema,
        pg_catalog.format('%I.%I', n.nspname, d.dictname) AS name, d.dictname AS "dictName",
        ${nameSql('pg_ts_template', 'd.dicttemplate')} AS template, d.dictinitoption AS options,
        pg_catalog.pg_get_userbyid(d.dictowner) AS owner, pg_catalog.obj_description(d.oid, 'pg_ts_dict') AS comment
      FROM pg_catalog.pg_ts_dict d JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_ts_dict', 'd.oid')}
      ORDER BY 4`,
  statements(d) {
    const what = `text search dictionary ${d.name}`;
    const target = `TEXT SEARCH DICTIONARY ${d.name}`;
    return {
      create: [
        statement(`CREATE ${target} (TEMPLATE = ${d.template}${d.options ? `, ${d.options}` : ''})`, what),
        ...commentOn(target, d.comment ?? null, what),
      ],
      owner: d.owner ? [ownerDdl(target, d.owner, what)] : [],
    };
  },
  compare: (d) => ({
    schema: d.schema,
    name: d.dictName,
    signature: { template: d.template, options: d.options, comment: d.comment },
  }),
};
