import { qualified, quoteLiteral } from '../../quote.js';
import type { QualifiedName } from '../catalog-rows.js';
import { USER_NSP } from '../catalog-sql.js';
import { ownerDdl } from '../ddl-acl.js';
import { commentOn, qname, statement } from '../sql-text.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface ConversionRow extends KindRow {
  schema: string;
  owner: string;
  /** Encoding names: `LATIN1`, `UTF8`. */
  source: string;
  target: string;
  func: QualifiedName;
  isDefault: boolean;
}

/** Encoding conversions (CREATE CONVERSION) in user schemas that belong to no extension. */
export const conversionKind: ObjectKind<ConversionRow> = {
  prefix: 'conv',
  catalog: 'pg_conversion',
  label: 'conversion',
  phase: 'pre',
  rank: 4.7,
  jsonColumns: ['func'],
  sql: (q) => `SELECT ${q.owned('c.oid', 'c.connamespace', 'c.conowner', 'pg_conversion')}, c.conname AS name,
        pg_catalog.pg_encoding_to_char(c.conforencoding) AS source, pg_catalog.pg_encoding_to_char(c.contoencoding) AS target,
        ${q.qname('pg_proc', 'c.conproc::pg_catalog.oid')} AS func, c.condefault AS "isDefault"
      FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_conversion', 'c.oid')}
      ORDER BY n.nspname, c.conname`,
  statements(c) {
    const name = qualified(c.schema, c.name);
    const what = `conversion ${name}`;
    return {
      create: [
        statement(
          `CREATE ${c.isDefault ? 'DEFAULT ' : ''}CONVERSION ${name} FOR ${quoteLiteral(c.source)} TO ${quoteLiteral(c.target)} FROM ${qname(c.func)}`,
          what,
        ),
        ...commentOn(`CONVERSION ${name}`, c.comment ?? null, what),
      ],
      owner: [ownerDdl(`CONVERSION ${name}`, c.owner, what)],
    };
  },
  compare: (c) => ({
    schema: c.schema,
    name: c.name,
    signature: {
      source: c.source,
      target: c.target,
      func: c.func,
      default: c.isDefault,
      comment: c.comment,
    },
  }),
};
