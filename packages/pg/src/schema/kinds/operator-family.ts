import { USER_NSP } from '../catalog-sql.js';
import { ownerDdl } from '../ddl-acl.js';
import { commentOn, statement } from '../sql-text.js';
import type { KindRow, ObjectKind } from './object-kind.js';
import {
  boundClassSql,
  hasUserMembersSql,
  type Members,
  memberItems,
  memberSignature,
  membersSql,
} from './operator-members.js';

interface OperatorFamilyRow extends KindRow, Members {
  nsp: string | null;
  schema: string;
  /** `s.f` and the access method, as `ALTER OPERATOR FAMILY s.f USING am` names it. */
  family: string;
  familyName: string;
  am: string;
  /** One of the server's own (integer_ops...) that a user added members to: not created. */
  builtin: boolean;
}

/**
 * Operator families (CREATE OPERATOR FAMILY), each with its loose members (ALTER OPERATOR FAMILY
 * ... ADD); the members bound to a class come with the class. A family CREATE OPERATOR CLASS
 * made for itself (same name) is created here all the same, and the class then names it with
 * FAMILY: the catalogs end the same. Families of the server's own are listed only for the
 * members a user added to them.
 */
export const operatorFamilyKind: ObjectKind<OperatorFamilyRow> = {
  prefix: 'opfamily',
  catalog: 'pg_opfamily',
  label: 'operator family',
  phase: 'pre',
  rank: 4.3,
  sql: (
    q,
  ) => `SELECT f.oid::text AS oid, CASE WHEN f.oid >= 16384 THEN f.opfnamespace::text END AS nsp, n.nspname AS schema,
        pg_catalog.format('%I.%I USING %I', n.nspname, f.opfname, am.amname) AS name,
        pg_catalog.format('%I.%I', n.nspname, f.opfname) AS family, f.opfname AS "familyName",
        pg_catalog.quote_ident(am.amname) AS am, f.oid < 16384 AS builtin, ${membersSql(q, 'f.oid')},
        pg_catalog.pg_get_userbyid(f.opfowner) AS owner, pg_catalog.obj_description(f.oid, 'pg_opfamily') AS comment
      FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace
        JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod
      WHERE (f.oid >= 16384 AND ${USER_NSP} AND ${q.notExtMember('pg_opfamily', 'f.oid')})
        OR (f.oid < 16384 AND ${hasUserMembersSql(q, 'f.oid')})
      ORDER BY 4`,
  jsonColumns: ['operators', 'functions'],
  parts: [
    {
      catalog: 'pg_amop',
      ownerOid: (id) =>
        `SELECT a.amopfamily FROM pg_catalog.pg_amop a WHERE a.oid = ${id} AND ${boundClassSql('pg_amop', 'a.oid')} IS NULL`,
    },
    {
      catalog: 'pg_amproc',
      ownerOid: (id) =>
        `SELECT p.amprocfamily FROM pg_catalog.pg_amproc p WHERE p.oid = ${id} AND ${boundClassSql('pg_amproc', 'p.oid')} IS NULL`,
    },
  ],
  statements(f) {
    const what = `operator family ${f.name}`;
    const target = `OPERATOR FAMILY ${f.family} USING ${f.am}`;
    const loose = memberItems(f, (boundTo) => boundTo === null);
    return {
      create: [
        ...(f.builtin ? [] : [statement(`CREATE ${target}`, what)]),
        ...(loose.length > 0
          ? [statement(`ALTER ${target} ADD ${loose.join(', ')}`, `members of ${what}`)]
          : []),
        ...(f.builtin ? [] : commentOn(target, f.comment ?? null, what)),
      ],
      owner: f.builtin || !f.owner ? [] : [ownerDdl(target, f.owner, what)],
    };
  },
  compare: (f) => ({
    schema: f.schema,
    name: `${f.familyName} USING ${f.am}`,
    signature: { ...(memberSignature(f) as object), comment: f.builtin ? null : f.comment },
  }),
};
