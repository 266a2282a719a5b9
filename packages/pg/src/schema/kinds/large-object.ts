import { grantDdl, ownerDdl } from '../ddl-acl.js';
import { commentOn, statement } from '../sql-text.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface LargeObjectRow extends KindRow {
  owner: string;
}

/**
 * Large objects under their own oids, with owner, privileges and comment. Their contents are
 * data: the loader copies them (copyLargeObjects) before post-data, creating each object with
 * its contents in one transaction, so the CREATE here makes only those the copy did not (a copy
 * of the schema alone) and a rerun makes none twice.
 */
export const largeObjectKind: ObjectKind<LargeObjectRow> = {
  prefix: 'lo',
  catalog: 'pg_largeobject_metadata',
  label: 'large object',
  phase: 'post',
  rank: 10,
  jsonColumns: ['acl'],
  sql: (q) => `SELECT l.oid::text AS oid, NULL::text AS nsp, l.oid::text AS name,
        pg_catalog.pg_get_userbyid(l.lomowner) AS owner, pg_catalog.obj_description(l.oid, 'pg_largeobject') AS comment,
        ${q.acl('l.lomacl')} AS acl
      FROM pg_catalog.pg_largeobject_metadata l
      ORDER BY l.oid`,
  statements(l) {
    const target = `LARGE OBJECT ${l.oid}`;
    const what = `large object ${l.oid}`;
    // A literal above 2^31 is no integer: cast the text.
    const oid = `'${l.oid}'::pg_catalog.oid`;
    return {
      create: [
        statement(
          `SELECT pg_catalog.lo_create(${oid}) WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_largeobject_metadata WHERE oid = ${oid})`,
          what,
        ),
        ...commentOn(target, l.comment ?? null, what),
      ],
      owner: [ownerDdl(target, l.owner, what)],
      grants: grantDdl(target, l.acl ?? null, l.owner, what),
    };
  },
  compare: (l) => ({ schema: '', name: l.oid, signature: { comment: l.comment } }),
};
