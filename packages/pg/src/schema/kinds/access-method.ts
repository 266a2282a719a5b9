import { quoteIdent } from '../../quote.js';
import type { QualifiedName } from '../catalog-rows.js';
import { commentOn, qname, statement } from '../sql-text.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface AccessMethodRow extends KindRow {
  /** i: index, t: table (12+) */
  type: 'i' | 't';
  handler: QualifiedName;
}

const TYPE = { i: 'INDEX', t: 'TABLE' } as const;

/** Access methods made by CREATE ACCESS METHOD (9.6+) outside an extension. They have no owner. */
export const accessMethodKind: ObjectKind<AccessMethodRow> = {
  prefix: 'am',
  catalog: 'pg_am',
  label: 'access method',
  phase: 'pre',
  rank: 4.5,
  jsonColumns: ['handler'],
  sql: (q) =>
    q.has('accessMethods')
      ? `SELECT a.oid::text AS oid, NULL::text AS nsp, a.amname AS name, a.amtype::text AS type,
        ${q.qname('pg_proc', 'a.amhandler::pg_catalog.oid')} AS handler,
        pg_catalog.obj_description(a.oid, 'pg_am') AS comment
      FROM pg_catalog.pg_am a
      WHERE a.oid >= 16384 AND ${q.notExtMember('pg_am', 'a.oid')}
      ORDER BY a.amname`
      : null,
  statements(a) {
    const name = quoteIdent(a.name);
    const what = `access method ${name}`;
    return {
      create: [
        statement(`CREATE ACCESS METHOD ${name} TYPE ${TYPE[a.type]} HANDLER ${qname(a.handler)}`, what),
        ...commentOn(`ACCESS METHOD ${name}`, a.comment ?? null, what),
      ],
    };
  },
  compare: (a) => ({
    schema: '',
    name: a.name,
    signature: { type: a.type, handler: a.handler, comment: a.comment },
  }),
};
