import { USER_NSP } from '../catalog-sql.js';
import { ownerDdl } from '../ddl-acl.js';
import { commentOn, statement } from '../sql-text.js';
import { nameSql } from './name-sql.js';
import type { KindRow, ObjectKind } from './object-kind.js';
import { boundClassSql, type Members, memberItems, membersSql } from './operator-members.js';

interface OperatorClassRow extends KindRow, Members {
  nsp: string;
  schema: string;
  /** `s.c` */
  opclass: string;
  className: string;
  am: string;
  type: string;
  isDefault: boolean;
  /** `s.f` */
  family: string;
  /** The STORAGE type, when it differs from the input type. */
  storage: string | null;
}

/**
 * Operator classes (CREATE OPERATOR CLASS ... FAMILY f AS ...), with the members bound to them.
 * The family, created first (operator-family.ts), holds the loose ones. Indexes using a class
 * come after it (table post-data follows all pre-data); a range type's SUBTYPE_OPCLASS has a
 * pg_depend row to the class, so the graph orders it.
 */
export const operatorClassKind: ObjectKind<OperatorClassRow> = {
  prefix: 'opclass',
  catalog: 'pg_opclass',
  label: 'operator class',
  phase: 'pre',
  rank: 4.4,
  sql: (q) => `SELECT c.oid::text AS oid, c.opcnamespace::text AS nsp, n.nspname AS schema,
        pg_catalog.format('%I.%I USING %I', n.nspname, c.opcname, am.amname) AS name,
        pg_catalog.format('%I.%I', n.nspname, c.opcname) AS opclass, c.opcname AS "className",
        pg_catalog.quote_ident(am.amname) AS am, pg_catalog.format_type(c.opcintype, NULL) AS type,
        c.opcdefault AS "isDefault", ${nameSql('pg_opfamily', 'c.opcfamily')} AS family,
        CASE WHEN c.opckeytype <> 0 THEN pg_catalog.format_type(c.opckeytype, NULL) END AS storage,
        ${membersSql(q, 'c.opcfamily')},
        pg_catalog.pg_get_userbyid(c.opcowner) AS owner, pg_catalog.obj_description(c.oid, 'pg_opclass') AS comment
      FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
        JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_opclass', 'c.oid')}
      ORDER BY 4`,
  jsonColumns: ['operators', 'functions'],
  parts: [
    { catalog: 'pg_amop', ownerOid: (id) => boundClassSql('pg_amop', id) },
    { catalog: 'pg_amproc', ownerOid: (id) => boundClassSql('pg_amproc', id) },
  ],
  statements(c) {
    const what = `operator class ${c.name}`;
    const target = `OPERATOR CLASS ${c.opclass} USING ${c.am}`;
    const items = memberItems(c, (boundTo) => boundTo === c.oid);
    // AS needs one item at least; STORAGE of the input type itself is the same as none.
    if (c.storage !== null || items.length === 0) items.push(`STORAGE ${c.storage ?? c.type}`);
    return {
      create: [
        statement(
          `CREATE OPERATOR CLASS ${c.opclass}${c.isDefault ? ' DEFAULT' : ''} FOR TYPE ${c.type} USING ${c.am} FAMILY ${c.family} AS ${items.join(', ')}`,
          what,
        ),
        ...commentOn(target, c.comment ?? null, what),
      ],
      owner: c.owner ? [ownerDdl(target, c.owner, what)] : [],
    };
  },
  compare: (c) => ({
    schema: c.schema,
    name: `${c.className} USING ${c.am}`,
    signature: {
      type: c.type,
      default: c.isDefault,
      family: c.family,
      storage: c.storage,
      comment: c.comment,
    },
  }),
};
