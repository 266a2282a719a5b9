import { USER_NSP } from '../catalog-sql.js';
import { commentOn, statement } from '../sql-text.js';
import { nameSql } from './name-sql.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface TemplateRow extends KindRow {
  nsp: string;
  schema: string;
  templateName: string;
  /** Functions by name (their signatures are fixed by their role). */
  init: string | null;
  lexize: string;
}

/** Text search templates (CREATE TEXT SEARCH TEMPLATE); they have no owner. */
export const textSearchTemplateKind: ObjectKind<TemplateRow> = {
  prefix: 'tstemplate',
  catalog: 'pg_ts_template',
  label: 'text search template',
  phase: 'pre',
  rank: 4.5,
  sql: (q) => `SELECT t.oid::text AS oid, t.tmplnamespace::text AS nsp, n.nspname AS schema,
        pg_catalog.format('%I.%I', n.nspname, t.tmplname) AS name, t.tmplname AS "templateName",
        ${nameSql('pg_proc', 't.tmplinit')} AS init, ${nameSql('pg_proc', 't.tmpllexize')} AS lexize,
        pg_catalog.obj_description(t.oid, 'pg_ts_template') AS comment
      FROM pg_catalog.pg_ts_template t JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_ts_template', 't.oid')}
      ORDER BY 4`,
  statements(t) {
    const what = `text search template ${t.name}`;
    const options = [...(t.init ? [`INIT = ${t.init}`] : []), `LEXIZE = ${t.lexize}`];
    return {
      create: [
        statement(`CREATE TEXT SEARCH TEMPLATE ${t.name} (${options.join(', ')})`, what),
        ...commentOn(`TEXT SEARCH TEMPLATE ${t.name}`, t.comment ?? null, what),
      ],
    };
  },
  compare: (t) => ({
    schema: t.schema,
    name: t.templateName,
    signature: { init: t.init, lexize: t.lexize, comment: t.comment },
  }),
};
