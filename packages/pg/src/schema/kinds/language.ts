import { quoteIdent } from '../../quote.js';
import type { QualifiedName } from '../catalog-rows.js';
import { grantDdl, ownerDdl } from '../ddl-acl.js';
import { commentOn, qname, statement } from '../sql-text.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface LanguageRow extends KindRow {
  owner: string;
  trusted: boolean;
  handler: QualifiedName;
  inline: QualifiedName | null;
  validator: QualifiedName | null;
  /** Before 13: pg_pltemplate has a template of this name. */
  template: boolean;
}

/**
 * A language made from a template (before 13, `CREATE LANGUAGE plperl` with nothing more put its
 * handlers in pg_catalog) is made again by name, OR REPLACE since the target may have it already:
 * from a template before 13, as CREATE EXTENSION from 13 on, where the template's handlers exist
 * only as an extension's. The target's is then an extension member, which verify does not list.
 */
function fromTemplate(l: LanguageRow): boolean {
  return l.template && l.handler.schema === 'pg_catalog';
}

/** Procedural languages (CREATE LANGUAGE) that belong to no extension. */
export const languageKind: ObjectKind<LanguageRow> = {
  prefix: 'lang',
  catalog: 'pg_language',
  label: 'procedural language',
  phase: 'pre',
  rank: 3.9,
  jsonColumns: ['acl', 'handler', 'inline', 'validator'],
  sql: (q) => `SELECT l.oid::text AS oid, NULL::text AS nsp, l.lanname AS name,
        pg_catalog.pg_get_userbyid(l.lanowner) AS owner, pg_catalog.obj_description(l.oid, 'pg_language') AS comment,
        ${q.acl('l.lanacl')} AS acl, l.lanpltrusted AS trusted,
        ${q.qname('pg_proc', 'l.lanplcallfoid')} AS handler,
        ${q.qname('pg_proc', 'l.laninline')} AS inline,
        ${q.qname('pg_proc', 'l.lanvalidator')} AS validator,
        ${q.has('noLanguageTemplates') ? 'false' : 'EXISTS (SELECT 1 FROM pg_catalog.pg_pltemplate pt WHERE pt.tmplname = l.lanname)'} AS template
      FROM pg_catalog.pg_language l
      WHERE l.lanispl AND l.oid >= 16384 AND ${q.notExtMember('pg_language', 'l.oid')}
      ORDER BY l.lanname`,
  statements(l) {
    const name = quoteIdent(l.name);
    const what = `language ${name}`;
    let sql = `CREATE ${l.trusted ? 'TRUSTED ' : ''}LANGUAGE ${name} HANDLER ${qname(l.handler)}`;
    if (l.inline) sql += ` INLINE ${qname(l.inline)}`;
    if (l.validator) sql += ` VALIDATOR ${qname(l.validator)}`;
    return {
      create: [
        statement(fromTemplate(l) ? `CREATE OR REPLACE LANGUAGE ${name}` : sql, what),
        ...commentOn(`LANGUAGE ${name}`, l.comment ?? null, what),
      ],
      owner: [ownerDdl(`LANGUAGE ${name}`, l.owner, what)],
      // Only a trusted language has privileges to grant.
      grants: l.trusted ? grantDdl(`LANGUAGE ${name}`, l.acl ?? null, l.owner, what) : [],
    };
  },
  compare: (l) => ({
    schema: '',
    name: l.name,
    signature: {
      trusted: l.trusted,
      handler: l.handler,
      inline: l.inline,
      validator: l.validator,
      comment: l.comment,
    },
  }),
};
