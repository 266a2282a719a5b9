import { quoteIdent, quoteLiteral } from '../../quote.js';
import { grantDdl, ownerDdl } from '../ddl-acl.js';
import {
  type GenericOption,
  genericOptionsSql,
  guardedBy,
  optionsClause,
  redacted,
} from '../generic-options.js';
import { commentOn, statement } from '../sql-text.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface ForeignServerRow extends KindRow {
  owner: string;
  wrapper: string;
  type: string | null;
  version: string | null;
  options: GenericOption[] | null;
}

/** Foreign servers (CREATE SERVER), also those of an extension's wrapper such as postgres_fdw. */
export const foreignServerKind: ObjectKind<ForeignServerRow> = {
  prefix: 'fsrv',
  catalog: 'pg_foreign_server',
  label: 'foreign server',
  phase: 'pre',
  rank: 4.6,
  jsonColumns: ['acl', 'options'],
  sql: (q) => `SELECT s.oid::text AS oid, NULL::text AS nsp, s.srvname AS name,
        pg_catalog.pg_get_userbyid(s.srvowner) AS owner,
        pg_catalog.obj_description(s.oid, 'pg_foreign_server') AS comment, ${q.acl('s.srvacl')} AS acl,
        w.fdwname AS wrapper, s.srvtype AS type, s.srvversion AS version,
        ${genericOptionsSql(q, 's.srvoptions')}::text AS options
      FROM pg_catalog.pg_foreign_server s JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
      WHERE ${q.notExtMember('pg_foreign_server', 's.oid')}
      ORDER BY s.srvname`,
  statements(s) {
    const name = quoteIdent(s.name);
    const what = `foreign server ${name}`;
    let sql = `CREATE SERVER ${name}`;
    if (s.type !== null) sql += ` TYPE ${quoteLiteral(s.type)}`;
    if (s.version !== null) sql += ` VERSION ${quoteLiteral(s.version)}`;
    sql += ` FOREIGN DATA WRAPPER ${quoteIdent(s.wrapper)}${optionsClause(s.options)}`;
    const create = statement(sql, what);
    return {
      create: [guardedBy(create, s.options), ...commentOn(`SERVER ${name}`, s.comment ?? null, what)],
      owner: [ownerDdl(`SERVER ${name}`, s.owner, what)],
      grants: grantDdl(`FOREIGN SERVER ${name}`, s.acl ?? null, s.owner, what),
    };
  },
  compare: (s) => ({
    schema: '',
    name: s.name,
    signature: {
      wrapper: s.wrapper,
      type: s.type,
      version: s.version,
      options: redacted(s.options),
      comment: s.comment,
    },
  }),
};
