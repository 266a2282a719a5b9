import type { CatalogSql } from '../catalog-sql.js';
import { functionSignatureSql, nameSql, operandSql, operatorNameSql } from './name-sql.js';

/*
 * The members of an operator family (pg_amop operators, pg_amproc support functions), for the
 * operator class and operator family kinds. A member is bound to an operator class (pg_depend
 * from the member to the class: created by CREATE OPERATOR CLASS and dropped with it) or loose
 * in its family (added by ALTER OPERATOR FAMILY ... ADD, or moved there by the access method,
 * as btree and hash do from 13 on for cross-type members).
 */

export interface OperatorMember {
  strategy: number;
  /** amoplefttype, amoprighttype */
  left: string;
  right: string;
  /** `s.op` and its operands `(left, right)`, as the OPERATOR clause looks it up. */
  operator: string;
  operands: string;
  /** s: for search, o: for ordering by `sortFamily` */
  purpose: 's' | 'o';
  sortFamily: string | null;
  /** The oid of the class it is bound to, null when loose. */
  boundTo: string | null;
}

export interface FunctionMember {
  num: number;
  left: string;
  right: string;
  /** `s.f(identity arguments)` */
  func: string;
  boundTo: string | null;
}

export interface Members {
  operators: OperatorMember[] | null;
  functions: FunctionMember[] | null;
}

/** First oid of objects made after initdb: members below it are the server's own. */
const FIRST_USER_OID = 16384;

/** SQL: the opclass a member (`id` in `catalog`) is bound to, NULL when loose. */
export function boundClassSql(catalog: 'pg_amop' | 'pg_amproc', id: string): string {
  return `(SELECT b.refobjid FROM pg_catalog.pg_depend b WHERE b.classid = 'pg_catalog.${catalog}'::pg_catalog.regclass
    AND b.objid = ${id} AND b.refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass LIMIT 1)`;
}

/**
 * Columns `operators` and `functions` (json text): the members made after initdb of the family
 * `family` (an SQL expression). In a family of the server's own (integer_ops, say) those are the
 * ones a user added, less those an extension brought.
 */
export function membersSql(q: CatalogSql, family: string): string {
  const ownFamily = `${family} >= ${FIRST_USER_OID}`;
  return `(SELECT pg_catalog.json_agg(${q.object({
    strategy: 'a.amopstrategy',
    left: 'pg_catalog.format_type(a.amoplefttype, NULL)',
    right: 'pg_catalog.format_type(a.amoprighttype, NULL)',
    operator: operatorNameSql('a.amopopr'),
    operands: `(SELECT pg_catalog.format('(%s, %s)', ${operandSql('x.oprleft')}, ${operandSql('x.oprright')}) FROM pg_catalog.pg_operator x WHERE x.oid = a.amopopr)`,
    purpose: 'a.amoppurpose::text',
    sortFamily: nameSql('pg_opfamily', 'a.amopsortfamily'),
    boundTo: `${boundClassSql('pg_amop', 'a.oid')}::text`,
  })} ORDER BY pg_catalog.format_type(a.amoplefttype, NULL), pg_catalog.format_type(a.amoprighttype, NULL), a.amopstrategy)
      FROM pg_catalog.pg_amop a WHERE a.amopfamily = ${family} AND a.oid >= ${FIRST_USER_OID}
        AND (${ownFamily} OR ${q.notExtMember('pg_operator', 'a.amopopr')}))::text AS operators,
    (SELECT pg_catalog.json_agg(${q.object({
      num: 'p.amprocnum',
      left: 'pg_catalog.format_type(p.amproclefttype, NULL)',
      right: 'pg_catalog.format_type(p.amprocrighttype, NULL)',
      func: functionSignatureSql('p.amproc'),
      boundTo: `${boundClassSql('pg_amproc', 'p.oid')}::text`,
    })} ORDER BY pg_catalog.format_type(p.amproclefttype, NULL), pg_catalog.format_type(p.amprocrighttype, NULL), p.amprocnum)
      FROM pg_catalog.pg_amproc p WHERE p.amprocfamily = ${family} AND p.oid >= ${FIRST_USER_OID}
        AND (${ownFamily} OR ${q.notExtMember('pg_proc', 'p.amproc')}))::text AS functions`;
}

/** Whether the family `family` holds members a user added (see membersSql). */
export function hasUserMembersSql(q: CatalogSql, family: string): string {
  return `(EXISTS (SELECT 1 FROM pg_catalog.pg_amop a WHERE a.amopfamily = ${family} AND a.oid >= ${FIRST_USER_OID} AND ${q.notExtMember('pg_operator', 'a.amopopr')})
    OR EXISTS (SELECT 1 FROM pg_catalog.pg_amproc p WHERE p.amprocfamily = ${family} AND p.oid >= ${FIRST_USER_OID} AND ${q.notExtMember('pg_proc', 'p.amproc')}))`;
}

/** `OPERATOR n s.op (left, right) [FOR ORDER BY s.family]`, `FUNCTION n (left, right) s.f(args)`. */
export function memberItems(members: Members, keep: (boundTo: string | null) => boolean): string[] {
  return [
    ...(members.operators ?? [])
      .filter((m) => keep(m.boundTo))
      .map(
        (m) =>
          `OPERATOR ${m.strategy} ${m.operator} ${m.operands}${m.purpose === 'o' ? ` FOR ORDER BY ${m.sortFamily}` : ''}`,
      ),
    ...(members.functions ?? [])
      .filter((m) => keep(m.boundTo))
      .map((m) => `FUNCTION ${m.num} (${m.left}, ${m.right}) ${m.func}`),
  ];
}

/** The members as verify compares them: whether bound to a class or loose differs by major. */
export function memberSignature(members: Members): unknown {
  return {
    operators: (members.operators ?? []).map(({ boundTo: _, ...m }) => m),
    functions: (members.functions ?? []).map(({ boundTo: _, ...m }) => m),
  };
}
