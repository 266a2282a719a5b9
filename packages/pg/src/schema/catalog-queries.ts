import { PGSHIFT_TRIGGERS_SQL } from '../bookkeeping.js';
import { type AggregateRow, aggregatesSql } from './aggregate.js';
import type {
  CollationRow,
  ColumnRow,
  ConstraintRow,
  DefaultAclRow,
  DependencyRow,
  ExtensionMemberRow,
  ExtensionRow,
  FunctionRow,
  IndexRow,
  PolicyRow,
  RelationRow,
  RuleRow,
  SchemaRow,
  SequenceRow,
  StatisticsRow,
  TriggerRow,
  TypeInfoRow,
  TypeRow,
  UnsupportedRow,
} from './catalog-rows.js';
import { type CatalogSql, catalogSql, USER_NSP } from './catalog-sql.js';
import { foreignTableSql } from './foreign-table.js';
import { OBJECT_KINDS } from './kinds/index.js';

/*
 * The catalog queries. Every query here runs on PostgreSQL 9.3 to 18 under an empty search_path
 * (see session.ts); what differs between majors is asked of the feature table (catalog-sql.ts).
 * Lists and records nested in a row come back as json text so no array parsing is needed.
 */

/** The row each catalog query returns, by the query's name. */
export interface CatalogTables {
  schemas: SchemaRow;
  extensions: ExtensionRow;
  collations: CollationRow;
  types: TypeRow;
  functions: FunctionRow;
  aggregates: AggregateRow;
  sequences: SequenceRow;
  relations: RelationRow;
  columns: ColumnRow;
  indexes: IndexRow;
  constraints: ConstraintRow;
  triggers: TriggerRow;
  rules: RuleRow;
  policies: PolicyRow;
  statistics: StatisticsRow;
  defaultAcls: DefaultAclRow;
  unsupported: UnsupportedRow;
  dependencies: DependencyRow;
  typeInfo: TypeInfoRow;
  extensionMembers: ExtensionMemberRow;
}

export type CatalogTable = keyof CatalogTables;

/** Every catalog query planSchema needs, by name, for a server of version `v`. */
export function catalogQueries(v: number): Record<CatalogTable, string> {
  const q = catalogSql(v);
  const { has, object } = q;
  const ownedBy = `(SELECT ${object({ tableOid: 'tc.oid::text', schema: 'tn.nspname', table: 'tc.relname', column: 'a.attname', identity: "d.deptype = 'i'" })}
          FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
            JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = tc.oid AND a.attnum = d.refobjsubid
          WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
            AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i') LIMIT 1)::text AS "ownedBy"`;
  return {
    schemas: `SELECT n.oid::text AS oid, n.nspname AS name, pg_catalog.pg_get_userbyid(n.nspowner) AS owner,
        pg_catalog.obj_description(n.oid, 'pg_namespace') AS comment, ${q.acl('n.nspacl')} AS acl
      FROM pg_catalog.pg_namespace n WHERE ${USER_NSP} AND ${q.notExtMember('pg_namespace', 'n.oid')} ORDER BY n.nspname`,
    extensions: `SELECT e.oid::text AS oid, e.extname AS name, e.extnamespace::text AS nsp, n.nspname AS schema,
        pg_catalog.obj_description(e.oid, 'pg_extension') AS comment
      FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname <> 'plpgsql' ORDER BY e.extname`,
    collations: `SELECT ${q.owned('c.oid', 'c.collnamespace', 'c.collowner', 'pg_collation')}, NULL AS acl, c.collname AS name,
        ${has('collationProviders') ? 'c.collprovider' : '\'c\'::"char"'} AS provider, c.collcollate AS "lcCollate", c.collctype AS "lcCtype",
        ${has('collationLocaleColumn') ? 'c.colllocale' : has('iculocaleColumn') ? 'c.colliculocale' : 'NULL::text'} AS locale,
        ${has('nondeterministicCollations') ? 'c.collisdeterministic' : 'true'} AS deterministic
      FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_collation', 'c.oid')} ORDER BY n.nspname, c.collname`,
    types: `SELECT ${q.owned('t.oid', 't.typnamespace', 't.typowner', 'pg_type')}, ${q.acl('t.typacl')} AS acl,
        t.typname AS name, t.typtype,
        CASE WHEN t.typtype = 'e' THEN (SELECT pg_catalog.json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)::text END AS labels,
        CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS "baseType",
        t.typnotnull AS "notNull", pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS "defaultExpr",
        CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN ${q.qname('pg_collation', 't.typcollation')} END AS collation,
        CASE WHEN t.typtype = 'd' THEN (SELECT pg_catalog.json_agg(${object({ name: 'k.conname', def: 'pg_catalog.pg_get_constraintdef(k.oid)', validated: 'k.convalidated', comment: "pg_catalog.obj_description(k.oid, 'pg_constraint')" })} ORDER BY k.conname) FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c')::text END AS checks,
        CASE WHEN t.typtype = 'c' THEN (SELECT pg_catalog.json_agg(${object({
          name: 'a.attname',
          type: 'pg_catalog.format_type(a.atttypid, a.atttypmod)',
          collation: `CASE WHEN a.attcollation <> at.typcollation THEN ${q.qname('pg_collation', 'a.attcollation')}::pg_catalog.json END`,
          comment: 'pg_catalog.col_description(a.attrelid, a.attnum)',
        })} ORDER BY a.attnum)
          FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)::text END AS attributes,
        CASE WHEN t.typtype = 'r' THEN (SELECT ${object({
          subtype: 'pg_catalog.format_type(r.rngsubtype, NULL)',
          opclass: `${q.qname('pg_opclass', 'r.rngsubopc')}::pg_catalog.json`,
          collation: `CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN ${q.qname('pg_collation', 'r.rngcollation')}::pg_catalog.json END`,
          canonical: `CASE WHEN r.rngcanonical <> 0 THEN ${q.qname('pg_proc', 'r.rngcanonical')}::pg_catalog.json END`,
          diff: `CASE WHEN r.rngsubdiff <> 0 THEN ${q.qname('pg_proc', 'r.rngsubdiff')}::pg_catalog.json END`,
          multirange: has('multiranges')
            ? '(SELECT mt.typname FROM pg_catalog.pg_type mt WHERE mt.oid = r.rngmultitypid)'
            : 'NULL::text',
        })}
          FROM pg_catalog.pg_range r JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype WHERE r.rngtypid = t.oid)::text END AS range,
        CASE WHEN t.typtype = 'b' THEN ${baseTypeDefinition(q)}::text END AS definition
      FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
        LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid
      WHERE ${USER_NSP} AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND tc.relkind = 'c')
          OR (t.typtype = 'p' AND NOT t.typisdefined)
          -- an array type comes with its element type
          OR (t.typtype = 'b' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)))
        AND ${q.notExtMember('pg_type', 't.oid')} ORDER BY n.nspname, t.typname`,
    functions: `SELECT ${q.owned('p.oid', 'p.pronamespace', 'p.proowner', 'pg_proc')}, ${q.acl('p.proacl')} AS acl, p.proname AS name,
        f.kind, pg_catalog.pg_get_function_identity_arguments(p.oid) AS args, pg_catalog.pg_get_functiondef(p.oid) AS def
      FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace,
        LATERAL (SELECT ${has('procedures') ? 'p.prokind::text' : "CASE WHEN p.proisagg THEN 'a' WHEN p.proiswindow THEN 'w' ELSE 'f' END"} AS kind) f
      WHERE ${USER_NSP} AND f.kind IN ('f', 'p', 'w') AND ${q.notExtMember('pg_proc', 'p.oid')}
        -- constructors made by CREATE TYPE ... AS RANGE come back with the type
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND x.objid = p.oid AND x.deptype = 'i')
      ORDER BY n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)`,
    aggregates: aggregatesSql(q),
    // Before 10 there is no pg_sequence: the options are columns of each sequence relation,
    // read one by one afterwards (readLegacySequenceOptions); the type is always bigint.
    sequences: has('sequenceCatalog')
      ? `SELECT ${q.owned('c.oid', 'c.relnamespace', 'c.relowner', 'pg_class')}, ${q.acl('c.relacl')} AS acl, c.relname AS name,
        pg_catalog.format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start, s.seqincrement::text AS increment,
        s.seqmin::text AS min, s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
        c.relpersistence = 'u' AS unlogged, ${ownedBy}
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND ${USER_NSP} AND ${q.notExtMember('pg_class', 'c.oid')} ORDER BY n.nspname, c.relname`
      : `SELECT ${q.owned('c.oid', 'c.relnamespace', 'c.relowner', 'pg_class')}, ${q.acl('c.relacl')} AS acl, c.relname AS name,
        'bigint' AS type, c.relpersistence = 'u' AS unlogged, ${ownedBy}
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND ${USER_NSP} AND ${q.notExtMember('pg_class', 'c.oid')} ORDER BY n.nspname, c.relname`,
    relations: `SELECT ${q.owned('c.oid', 'c.relnamespace', 'c.relowner', 'pg_class')}, ${q.acl('c.relacl')} AS acl, c.relname AS name,
        c.relkind, ${foreignTableSql(q)} AS "foreign", c.relpersistence = 'u' AS unlogged, pg_catalog.array_to_json(c.reloptions)::text AS options,
        ${
          has('declarativePartitions')
            ? `CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS "partKey",
        c.relispartition AS "isPartition",
        CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS bound,`
            : 'NULL::text AS "partKey", false AS "isPartition", NULL::text AS bound,'
        }
        (SELECT pg_catalog.json_agg(${object({ oid: 'h.inhparent::text', schema: 'pn.nspname', name: 'pc.relname' })} ORDER BY h.inhseqno)
          FROM pg_catalog.pg_inherits h JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
          WHERE h.inhrelid = c.oid)::text AS parents,
        CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS "viewDef",
        c.relispopulated AS populated,
        ${has('tableAccessMethods') ? "(SELECT a.amname FROM pg_catalog.pg_am a WHERE a.oid = c.relam AND a.amname <> 'heap')" : 'NULL::text'} AS "accessMethod",
        ${has('rowSecurity') ? 'c.relrowsecurity' : 'false'} AS "rowSecurity", ${has('rowSecurity') ? 'c.relforcerowsecurity' : 'false'} AS "forceRowSecurity",
        ${has('replicaIdentity') ? 'c.relreplident::text' : "CASE WHEN c.relkind IN ('v', 'f') THEN 'n' ELSE 'd' END"} AS "replIdent",
        CASE WHEN c.reloftype <> 0 THEN ${q.qname('pg_type', 'c.reloftype')} END AS "ofType",
        (SELECT pg_catalog.array_to_json(tc.reloptions) FROM pg_catalog.pg_class tc WHERE tc.oid = c.reltoastrelid)::text AS "toastOptions"
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_NSP} AND ${q.notExtMember('pg_class', 'c.oid')}
      ORDER BY n.nspname, c.relname`,
    columns: `SELECT a.attrelid::text AS rel, a.attnum::int AS num, a.attname AS name,
        pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull", a.attislocal AS "isLocal",
        a.attinhcount::int AS "inhCount", a.attstorage::text AS storage, t.typstorage::text AS "typeStorage",
        ${has('columnCompression') ? 'a.attcompression::text' : "''::text"} AS compression,
        NULLIF(a.attstattarget, -1)::int AS statistics, pg_catalog.array_to_json(a.attoptions)::text AS options,
        pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS "defaultExpr", ${has('identityColumns') ? 'a.attidentity::text' : "''::text"} AS identity,
        ${has('generatedColumns') ? 'a.attgenerated::text' : "''"} AS generated,
        CASE WHEN a.attcollation <> t.typcollation THEN ${q.qname('pg_collation', 'a.attcollation')} END AS collation,
        pg_catalog.col_description(a.attrelid, a.attnum) AS comment, ${q.acl('a.attacl')} AS acl
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND ${USER_NSP}
      ORDER BY a.attrelid, a.attnum`,
    indexes: `SELECT i.indexrelid::text AS oid, n.nspname AS schema, ic.relname AS name, i.indrelid::text AS rel,
        pg_catalog.pg_get_indexdef(i.indexrelid) AS def, i.indisclustered AS clustered,
        ${has('replicaIdentity') ? 'i.indisreplident' : 'false'} AS "replIdent",
        ic.relkind = 'I' AS partitioned,
        EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) AS "backsConstraint",
        (SELECT ${object({ schema: 'pn.nspname', name: 'pc.relname' })} FROM pg_catalog.pg_inherits h
          JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
          WHERE h.inhrelid = i.indexrelid)::text AS parent,
        pg_catalog.obj_description(i.indexrelid, 'pg_class') AS comment
      FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
      WHERE tc.relkind IN ('r', 'p', 'm') AND ${USER_NSP} AND ${q.notExtMember('pg_class', 'tc.oid')}
      ORDER BY n.nspname, ic.relname`,
    constraints: `SELECT k.oid::text AS oid, k.conname AS name, k.contype::text AS contype, k.conrelid::text AS rel,
        pg_catalog.pg_get_constraintdef(k.oid) AS def, k.convalidated AS validated, k.conislocal AS "isLocal",
        ${has('constraintParents') ? 'k.conparentid::text' : "'0'"} AS "parentOid", k.confrelid::text AS "refRel",
        k.conindid::text AS "indexOid", k.condeferrable AS deferrable, k.condeferred AS deferred,
        pg_catalog.obj_description(k.oid, 'pg_constraint') AS comment
      FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype IN ('c', 'p', 'u', 'x', 'f') AND ${USER_NSP} ORDER BY k.conrelid, k.conname`,
    triggers: `SELECT t.oid::text AS oid, t.tgname AS name, t.tgrelid::text AS rel, pg_catalog.pg_get_triggerdef(t.oid) AS def,
        t.tgenabled::text AS enabled, pg_catalog.obj_description(t.oid, 'pg_trigger') AS comment
      FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT t.tgisinternal AND ${USER_NSP}
        -- the TRUNCATE capture (sources before 11) and the write guard (targets) are pgshift's
        AND t.tgname NOT IN ${PGSHIFT_TRIGGERS_SQL}
        ${
          has('triggerParents')
            ? 'AND t.tgparentid = 0'
            : has('partitionedIndexes')
              ? "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.objid = t.oid AND d.deptype = 'P')"
              : ''
        }
      ORDER BY t.tgrelid, t.tgname`,
    rules: `SELECT r.oid::text AS oid, r.rulename AS name, r.ev_class::text AS rel, pg_catalog.pg_get_ruledef(r.oid) AS def,
        pg_catalog.obj_description(r.oid, 'pg_rewrite') AS comment
      FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE r.rulename <> '_RETURN' AND ${USER_NSP} ORDER BY r.ev_class, r.rulename`,
    policies: has('rowSecurity')
      ? `SELECT p.polname AS name, p.polrelid::text AS rel, p.polcmd::text AS cmd,
        ${has('permissivePolicies') ? 'p.polpermissive' : 'true'} AS permissive,
        (SELECT pg_catalog.json_agg(CASE WHEN r = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(r) END) FROM pg_catalog.unnest(p.polroles) r)::text AS roles,
        pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS qual, pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS "withCheck"
      FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_NSP} ORDER BY p.polrelid, p.polname`
      : 'SELECT NULL WHERE false',
    statistics: has('extendedStatistics')
      ? `SELECT n.nspname AS schema, x.stxname AS name, x.stxrelid::text AS rel,
        pg_catalog.pg_get_statisticsobjdef(x.oid) AS def, pg_catalog.obj_description(x.oid, 'pg_statistic_ext') AS comment
      FROM pg_catalog.pg_statistic_ext x JOIN pg_catalog.pg_namespace n ON n.oid = x.stxnamespace
      WHERE ${USER_NSP} ORDER BY n.nspname, x.stxname`
      : 'SELECT NULL WHERE false',
    defaultAcls: `SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS role, NULLIF(d.defaclnamespace, 0)::text AS nsp,
        n.nspname AS schema, d.defaclobjtype::text AS objtype, ${q.acl('d.defaclacl')} AS acl
      FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
      WHERE d.defaclnamespace = 0 OR (${USER_NSP})
      ORDER BY 1, 3 NULLS FIRST, 4`,
    // Each kind not carried yet adds a UNION ALL branch here.
    unsupported: `SELECT NULL::text AS kind, NULL::text AS name WHERE false
      ORDER BY 1, 2`,
    dependencies: `SELECT d.classid::pg_catalog.regclass::text AS cls, d.objid::text AS objid, ${q.nodeKey('d.classid', 'd.objid', kindKeyBranches(q, 'd.objid'))} AS "objKey",
        d.refclassid::pg_catalog.regclass::text AS "refCls", d.refobjid::text AS "refObjid", ${q.nodeKey('d.refclassid', 'd.refobjid', kindKeyBranches(q, 'd.refobjid'))} AS "refKey",
        d.deptype::text AS deptype
      FROM pg_catalog.pg_depend d
      WHERE d.deptype IN ('n', 'a', 'i') AND d.objid >= 16384 AND d.refobjid >= 16384`,
    // Joins, not correlated subqueries: pg_type has no index on typarray, and a database with
    // thousands of tables has thousands of row and array types (0.18 s on the regression database).
    typeInfo: `SELECT t.oid::text AS oid, t.typtype::text AS typtype, t.typrelid::text AS typrelid, COALESCE(c.relkind::text, '') AS relkind,
        e.oid::text AS elem, ${has('multiranges') ? 'r.rngtypid::text' : 'NULL::text'} AS "rangeOf"
      FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
        LEFT JOIN pg_catalog.pg_type e ON e.typarray = t.oid
        ${has('multiranges') ? 'LEFT JOIN pg_catalog.pg_range r ON r.rngmultitypid = t.oid' : ''}
      WHERE t.oid >= 16384`,
    extensionMembers: `SELECT d.classid::pg_catalog.regclass::text AS cls, d.objid::text AS objid, d.refobjid::text AS ext
      FROM pg_catalog.pg_depend d WHERE d.deptype = 'e' AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass`,
  };
}

/** A base type's CREATE TYPE options (BaseTypeDefinition) as json, for the row of pg_type `t`. */
function baseTypeDefinition(q: CatalogSql): string {
  const fn = (column: string) => `${q.qname('pg_proc', `${column}::pg_catalog.oid`)}::pg_catalog.json`;
  const optionalFn = (column: string) => `CASE WHEN ${column}::pg_catalog.oid <> 0 THEN ${fn(column)} END`;
  return q.object({
    input: fn('t.typinput'),
    output: fn('t.typoutput'),
    receive: optionalFn('t.typreceive'),
    send: optionalFn('t.typsend'),
    typmodIn: optionalFn('t.typmodin'),
    typmodOut: optionalFn('t.typmodout'),
    analyze: optionalFn('t.typanalyze'),
    subscript: q.has('subscripting') ? optionalFn('t.typsubscript') : 'NULL::pg_catalog.json',
    length: 't.typlen',
    byValue: 't.typbyval',
    alignment: 't.typalign::text',
    storage: 't.typstorage::text',
    category: 't.typcategory::text',
    preferred: 't.typispreferred',
    default: 't.typdefault',
    element: 'CASE WHEN t.typelem <> 0 THEN pg_catalog.format_type(t.typelem, NULL) END',
    delimiter: 't.typdelim::text',
    collatable: 't.typcollation <> 0',
  });
}

/**
 * The nodeKey branches of the kinds this server has: their own catalog maps to `prefix:oid`, the
 * catalogs of their parts to the owner's key.
 */
function kindKeyBranches(q: CatalogSql, id: string): string[] {
  const branches: string[] = [];
  const owners = new Map<string, string[]>();
  for (const kind of OBJECT_KINDS) {
    if (kind.sql(q) === null) continue;
    branches.push(`WHEN 'pg_catalog.${kind.catalog}'::pg_catalog.regclass THEN '${kind.prefix}:' || ${id}`);
    for (const part of kind.parts ?? []) {
      const keys = owners.get(part.catalog) ?? [];
      keys.push(`'${kind.prefix}:' || (${part.ownerOid(id)})`);
      owners.set(part.catalog, keys);
    }
  }
  // A part whose expression is null for one kind belongs to the next that claims its catalog.
  for (const [catalog, keys] of owners)
    branches.push(`WHEN 'pg_catalog.${catalog}'::pg_catalog.regclass THEN COALESCE(${keys.join(', ')})`);
  return branches;
}
