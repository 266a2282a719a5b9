import { qualified, quoteIdent } from '../quote.js';
import type { FunctionRow, QualifiedName } from './catalog-rows.js';
import { type CatalogSql, USER_NSP } from './catalog-sql.js';
import { qname } from './sql-text.js';

/** An aggregate as read from pg_aggregate; turned into a FunctionRow whose `def` creates it. */
export interface AggregateRow extends Omit<FunctionRow, 'kind' | 'def'> {
  fullArgs: string;
  aggKind: 'n' | 'o' | 'h';
  transFn: QualifiedName;
  stateType: string;
  stateSpace: number;
  finalFn: QualifiedName | null;
  finalExtra: boolean;
  finalModify: string | null;
  combineFn: QualifiedName | null;
  serialFn: QualifiedName | null;
  deserialFn: QualifiedName | null;
  initCond: string | null;
  sortOp: QualifiedName | null;
  parallel: string;
  /** The moving-aggregate mode (MSFUNC, MINVFUNC, ...), 9.4+, when the aggregate has one. */
  moving: {
    transFn: QualifiedName;
    invTransFn: QualifiedName;
    stateType: string;
    stateSpace: number;
    finalFn: QualifiedName | null;
    finalExtra: boolean;
    finalModify: string | null;
    initCond: string | null;
  } | null;
}

/** The aggregates query (pg_aggregate with its pg_proc row); rows are AggregateRow. */
export function aggregatesSql(q: CatalogSql): string {
  const { has, object } = q;
  return `SELECT ${q.owned('p.oid', 'p.pronamespace', 'p.proowner', 'pg_proc')}, ${q.acl('p.proacl')} AS acl, p.proname AS name,
        pg_catalog.pg_get_function_identity_arguments(p.oid) AS args, pg_catalog.pg_get_function_arguments(p.oid) AS "fullArgs",
        ${has('aggregateKinds') ? 'a.aggkind::text' : "'n'::text"} AS "aggKind", ${q.qname('pg_proc', 'a.aggtransfn')} AS "transFn",
        pg_catalog.format_type(a.aggtranstype, NULL) AS "stateType", ${has('aggregateKinds') ? 'a.aggtransspace' : '0'} AS "stateSpace",
        CASE WHEN a.aggfinalfn <> 0 THEN ${q.qname('pg_proc', 'a.aggfinalfn')} END AS "finalFn", ${has('aggregateKinds') ? 'a.aggfinalextra' : 'false'} AS "finalExtra",
        ${has('aggregateFinalModify') ? 'a.aggfinalmodify::text' : 'NULL::text'} AS "finalModify",
        ${
          has('parallelSafety')
            ? `CASE WHEN a.aggcombinefn <> 0 THEN ${q.qname('pg_proc', 'a.aggcombinefn')} END AS "combineFn",
        CASE WHEN a.aggserialfn <> 0 THEN ${q.qname('pg_proc', 'a.aggserialfn')} END AS "serialFn",
        CASE WHEN a.aggdeserialfn <> 0 THEN ${q.qname('pg_proc', 'a.aggdeserialfn')} END AS "deserialFn",`
            : 'NULL::text AS "combineFn", NULL::text AS "serialFn", NULL::text AS "deserialFn",'
        }
        a.agginitval AS "initCond",
        ${
          has('aggregateKinds')
            ? `CASE WHEN a.aggmtransfn <> 0 THEN ${object({
                transFn: `${q.qname('pg_proc', 'a.aggmtransfn')}::pg_catalog.json`,
                invTransFn: `${q.qname('pg_proc', 'a.aggminvtransfn')}::pg_catalog.json`,
                stateType: 'pg_catalog.format_type(a.aggmtranstype, NULL)',
                stateSpace: 'a.aggmtransspace',
                finalFn: `CASE WHEN a.aggmfinalfn <> 0 THEN ${q.qname('pg_proc', 'a.aggmfinalfn')}::pg_catalog.json END`,
                finalExtra: 'a.aggmfinalextra',
                finalModify: has('aggregateFinalModify') ? 'a.aggmfinalmodify::text' : 'NULL::text',
                initCond: 'a.aggminitval',
              })}::text END`
            : 'NULL::text'
        } AS moving,
        CASE WHEN a.aggsortop <> 0 THEN (SELECT ${object({ schema: 'opn.nspname', name: 'op.oprname' })} FROM pg_catalog.pg_operator op JOIN pg_catalog.pg_namespace opn ON opn.oid = op.oprnamespace WHERE op.oid = a.aggsortop)::text END AS "sortOp",
        ${has('parallelSafety') ? 'p.proparallel::text' : "'u'::text"} AS parallel
      FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_proc', 'p.oid')}
      ORDER BY n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)`;
}

const MODIFY: Record<string, string> = { r: 'READ_ONLY', s: 'SHAREABLE', w: 'READ_WRITE' };
const PARALLEL: Record<string, string> = { s: 'SAFE', r: 'RESTRICTED', u: 'UNSAFE' };

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** MSFUNC, MINVFUNC, MSTYPE, ... of an aggregate's moving mode. */
function movingOptions(m: NonNullable<AggregateRow['moving']>, aggKind: AggregateRow['aggKind']): string[] {
  const options = [
    `MSFUNC = ${qname(m.transFn)}`,
    `MINVFUNC = ${qname(m.invTransFn)}`,
    `MSTYPE = ${m.stateType}`,
  ];
  if (m.stateSpace > 0) options.push(`MSSPACE = ${m.stateSpace}`);
  if (m.finalFn) options.push(`MFINALFUNC = ${qname(m.finalFn)}`);
  if (m.finalExtra) options.push('MFINALFUNC_EXTRA');
  if (m.finalModify && m.finalModify !== (aggKind === 'n' ? 'r' : 'w'))
    options.push(`MFINALFUNC_MODIFY = ${MODIFY[m.finalModify]}`);
  if (m.initCond !== null) options.push(`MINITCOND = ${literal(m.initCond)}`);
  return options;
}

/** CREATE AGGREGATE from its catalog row, with its moving mode where it has one. */
export function aggregateAsFunction(a: AggregateRow): FunctionRow {
  const options = [`SFUNC = ${qname(a.transFn)}`, `STYPE = ${a.stateType}`];
  if (a.stateSpace > 0) options.push(`SSPACE = ${a.stateSpace}`);
  if (a.finalFn) options.push(`FINALFUNC = ${qname(a.finalFn)}`);
  if (a.finalExtra) options.push('FINALFUNC_EXTRA');
  if (a.finalModify && a.finalModify !== (a.aggKind === 'n' ? 'r' : 'w'))
    options.push(`FINALFUNC_MODIFY = ${MODIFY[a.finalModify]}`);
  if (a.combineFn) options.push(`COMBINEFUNC = ${qname(a.combineFn)}`);
  if (a.serialFn) options.push(`SERIALFUNC = ${qname(a.serialFn)}`);
  if (a.deserialFn) options.push(`DESERIALFUNC = ${qname(a.deserialFn)}`);
  // initcond is the state type's text form; a string literal keeps it exact.
  if (a.initCond !== null) options.push(`INITCOND = ${literal(a.initCond)}`);
  if (a.moving) options.push(...movingOptions(a.moving, a.aggKind));
  if (a.sortOp) options.push(`SORTOP = OPERATOR(${quoteIdent(a.sortOp.schema)}.${a.sortOp.name})`);
  if (a.aggKind === 'h') options.push('HYPOTHETICAL');
  if (a.parallel !== 'u') options.push(`PARALLEL = ${PARALLEL[a.parallel]}`);
  const args = a.fullArgs === '' ? '*' : a.fullArgs;
  const { fullArgs: _a, aggKind: _k, transFn: _t, stateType: _s, moving: _m, ...rest } = a;
  return {
    ...rest,
    kind: 'a',
    args: a.args === '' ? '*' : a.args,
    def: `CREATE AGGREGATE ${qualified(a.schema, a.name)}(${args}) (${options.join(', ')})`,
  };
}
