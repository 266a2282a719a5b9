import { USER_NSP } from '../catalog-sql.js';
import { ownerDdl } from '../ddl-acl.js';
import { commentOn, statement } from '../sql-text.js';
import type { SchemaStatement } from '../types.js';
import {
  functionSignatureSql,
  nameSql,
  operandSql,
  operatorNameSql,
  operatorSignatureSql,
} from './name-sql.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface OperatorRow extends KindRow {
  nsp: string;
  schema: string;
  /** `s.op` */
  opName: string;
  /** `op(left, right)`, NONE for a missing operand: how verify names it in its schema. */
  signature: string;
  /** b infix, l prefix, r postfix (gone in 14) */
  kind: 'b' | 'l' | 'r';
  left: string | null;
  right: string | null;
  result: string | null;
  /** The function by name (CREATE OPERATOR looks it up by the operand types), null for a shell. */
  func: string | null;
  funcSignature: string | null;
  /** `s.op` of the commutator and negator, and their `s.op(left, right)` for verify. */
  commutator: string | null;
  commutatorSignature: string | null;
  negator: string | null;
  negatorSignature: string | null;
  restrict: string | null;
  join: string | null;
  hashes: boolean;
  merges: boolean;
  /** FUNCTION from 11 on; PROCEDURE before (the target is never older than the source). */
  functionKeyword: 'FUNCTION' | 'PROCEDURE';
  /** Schemas of the commutator and negator: naming one that does not exist yet creates it there. */
  linkSchemas: string[];
  /** For a shell (no function): the operators that name it, whose CREATE makes it. */
  referencedBy: string[] | null;
}

const operands = (o: OperatorRow) => `(${o.left ?? 'NONE'}, ${o.right ?? 'NONE'})`;

/** `s.op (left, right)` as COMMENT ON, ALTER and DROP OPERATOR name it. */
const target = (o: OperatorRow) => `${o.opName} ${operands(o)}`;

function createOperator(o: OperatorRow): SchemaStatement {
  const options = [
    `${o.functionKeyword} = ${o.func}`,
    ...(o.left ? [`LEFTARG = ${o.left}`] : []),
    ...(o.right ? [`RIGHTARG = ${o.right}`] : []),
    ...(o.commutator ? [`COMMUTATOR = OPERATOR(${o.commutator})`] : []),
    ...(o.negator ? [`NEGATOR = OPERATOR(${o.negator})`] : []),
    ...(o.restrict ? [`RESTRICT = ${o.restrict}`] : []),
    ...(o.join ? [`JOIN = ${o.join}`] : []),
    ...(o.hashes ? ['HASHES'] : []),
    ...(o.merges ? ['MERGES'] : []),
  ];
  return statement(`CREATE OPERATOR ${o.opName} (${options.join(', ')})`, `operator ${o.name}`);
}

/**
 * A shell operator no other operator names (its maker was dropped). PostgreSQL makes shells only
 * for a COMMUTATOR or NEGATOR that does not exist yet, so a throwaway operator in pg_temp names
 * it as its negator and is dropped again, which leaves the shell unlinked as on the source.
 */
function standaloneShell(o: OperatorRow): SchemaStatement[] {
  const what = `shell operator ${o.name}`;
  const args = [o.left, o.right].filter((t): t is string => t !== null).join(', ');
  const helper = `pg_temp.${o.opName.slice(o.opName.lastIndexOf('.') + 1)}`;
  return [
    statement(
      `CREATE FUNCTION pg_temp.pgshift_shell_operand(${args}) RETURNS boolean LANGUAGE sql AS 'SELECT NULL::boolean'`,
      what,
    ),
    statement(
      `CREATE OPERATOR ${helper} (${o.functionKeyword} = pg_temp.pgshift_shell_operand${o.left ? `, LEFTARG = ${o.left}` : ''}${o.right ? `, RIGHTARG = ${o.right}` : ''}, NEGATOR = OPERATOR(${o.opName}))`,
      what,
    ),
    statement(`DROP OPERATOR ${helper} ${operands(o)}`, what),
    statement(`DROP FUNCTION pg_temp.pgshift_shell_operand(${args})`, what),
  ];
}

/**
 * User-defined operators (CREATE OPERATOR). Commutator and negator links have no pg_depend row:
 * naming one that does not exist yet makes a shell operator that its own CREATE OPERATOR later
 * completes, so the pair ends linked both ways whichever comes first. Postfix operators (before
 * 14) are planned as they are; a 14+ target refuses them, which a check reports beforehand.
 */
export const operatorKind: ObjectKind<OperatorRow> = {
  prefix: 'oper',
  catalog: 'pg_operator',
  label: 'operator',
  phase: 'pre',
  rank: 4.2,
  sql: (q) => `SELECT o.oid::text AS oid, o.oprnamespace::text AS nsp, n.nspname AS schema,
        ${operatorSignatureSql('o.oid')} AS name, pg_catalog.format('%I.%s', n.nspname, o.oprname) AS "opName",
        pg_catalog.format('%s(%s, %s)', o.oprname, ${operandSql('o.oprleft')}, ${operandSql('o.oprright')}) AS signature,
        o.oprkind::text AS kind,
        CASE WHEN o.oprleft <> 0 THEN pg_catalog.format_type(o.oprleft, NULL) END AS left,
        CASE WHEN o.oprright <> 0 THEN pg_catalog.format_type(o.oprright, NULL) END AS right,
        CASE WHEN o.oprresult <> 0 THEN pg_catalog.format_type(o.oprresult, NULL) END AS result,
        ${nameSql('pg_proc', 'o.oprcode')} AS func, ${functionSignatureSql('o.oprcode')} AS "funcSignature",
        ${operatorNameSql('o.oprcom')} AS commutator, ${operatorSignatureSql('o.oprcom')} AS "commutatorSignature",
        ${operatorNameSql('o.oprnegate')} AS negator, ${operatorSignatureSql('o.oprnegate')} AS "negatorSignature",
        ${nameSql('pg_proc', 'o.oprrest')} AS restrict, ${nameSql('pg_proc', 'o.oprjoin')} AS join,
        o.oprcanhash AS hashes, o.oprcanmerge AS merges,
        '${q.has('operatorFunctionKeyword') ? 'FUNCTION' : 'PROCEDURE'}' AS "functionKeyword",
        (SELECT pg_catalog.json_agg(DISTINCT l.oprnamespace::text) FROM pg_catalog.pg_operator l
          WHERE l.oid IN (o.oprcom, o.oprnegate))::text AS "linkSchemas",
        CASE WHEN o.oprcode = 0 THEN (SELECT pg_catalog.json_agg(r.oid::text) FROM pg_catalog.pg_operator r
          WHERE r.oprcode <> 0 AND (r.oprcom = o.oid OR r.oprnegate = o.oid))::text END AS "referencedBy",
        pg_catalog.pg_get_userbyid(o.oprowner) AS owner, pg_catalog.obj_description(o.oid, 'pg_operator') AS comment
      FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_operator', 'o.oid')}
      ORDER BY 4`,
  jsonColumns: ['linkSchemas', 'referencedBy'],
  needs: (o) =>
    o.func === null
      ? (o.referencedBy ?? []).map((oid) => `oper:${oid}`)
      : (o.linkSchemas ?? []).map((oid) => `schema:${oid}`),
  statements(o) {
    const what = `operator ${o.name}`;
    const create = o.func !== null ? [createOperator(o)] : o.referencedBy === null ? standaloneShell(o) : [];
    return {
      create: [...create, ...commentOn(`OPERATOR ${target(o)}`, o.comment ?? null, what)],
      owner: o.owner ? [ownerDdl(`OPERATOR ${target(o)}`, o.owner, what)] : [],
    };
  },
  compare: (o) => ({
    schema: o.schema,
    name: o.signature,
    signature: {
      kind: o.kind,
      result: o.result,
      func: o.funcSignature,
      commutator: o.commutatorSignature,
      negator: o.negatorSignature,
      restrict: o.restrict,
      join: o.join,
      hashes: o.hashes,
      merges: o.merges,
      comment: o.comment,
    },
  }),
};
