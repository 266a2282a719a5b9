import { quoteIdent } from '../../quote.js';
import { grantDdl, ownerDdl } from '../ddl-acl.js';
import {
  type GenericOption,
  genericOptionsSql,
  guardedBy,
  optionsClause,
  redacted,
} from '../generic-options.js';
import { commentOn, statement } from '../sql-text.js';
import { nameSql } from './name-sql.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface ForeignDataWrapperRow extends KindRow {
  owner: string;
  /** `s.f` of the handler and validator functions, null when there is none. */
  handler: string | null;
  validator: string | null;
  options: GenericOption[] | null;
}

/** Foreign-data wrappers made by CREATE FOREIGN DATA WRAPPER; an extension's come with it. */
export const foreignDataWrapperKind: ObjectKind<ForeignDataWrapperRow> = {
  prefix: 'fdw',
  catalog: 'pg_foreign_data_wrapper',
  label: 'foreign-data wrapper',
  phase: 'pre',
  rank: 4.5,
  jsonColumns: ['acl', 'options'],
  sql: (q) => `SELECT w.oid::text AS oid, NULL::text AS nsp, w.fdwname AS name,
        pg_catalog.pg_get_userbyid(w.fdwowner) AS owner,
        pg_catalog.obj_description(w.oid, 'pg_foreign_data_wrapper') AS comment, ${q.acl('w.fdwacl')} AS acl,
        ${nameSql('pg_proc', 'w.fdwhandler')} AS handler, ${nameSql('pg_proc', 'w.fdwvalidator')} AS validator,
        ${genericOptionsSql(q, 'w.fdwoptions')}::text AS options
      FROM pg_catalog.pg_foreign_data_wrapper w
      WHERE ${q.notExtMember('pg_foreign_data_wrapper', 'w.oid')}
      ORDER BY w.fdwname`,
  statements(w) {
    const name = quoteIdent(w.name);
    const what = `foreign-data wrapper ${name}`;
    // Without HANDLER or VALIDATOR the new wrapper has none, as on the source.
    let sql = `CREATE FOREIGN DATA WRAPPER ${name}`;
    if (w.handler) sql += ` HANDLER ${w.handler}`;
    if (w.validator) sql += ` VALIDATOR ${w.validator}`;
    sql += optionsClause(w.options);
    const create = statement(sql, what);
    return {
      create: [
        guardedBy(create, w.options),
        ...commentOn(`FOREIGN DATA WRAPPER ${name}`, w.comment ?? null, what),
      ],
      owner: [ownerDdl(`FOREIGN DATA WRAPPER ${name}`, w.owner, what)],
      grants: grantDdl(`FOREIGN DATA WRAPPER ${name}`, w.acl ?? null, w.owner, what),
    };
  },
  compare: (w) => ({
    schema: '',
    name: w.name,
    signature: {
      handler: w.handler,
      validator: w.validator,
      options: redacted(w.options),
      comment: w.comment,
    },
  }),
};
