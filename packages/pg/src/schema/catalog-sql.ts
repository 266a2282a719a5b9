import { BOOKKEEPING_SCHEMA } from '../bookkeeping.js';
import { featuresOf, type ServerFeature } from '../server-features.js';

/**
 * SQL fragments the catalog reads are built from, for one server version. Everything that differs
 * between majors in how a catalog is *asked* lives here or in catalog-queries.ts, keyed by the feature
 * table (server-features.ts), never by a version number.
 */
export interface CatalogSql {
  has(feature: ServerFeature): boolean;
  /** A json object of `{ key: expression }`; on 9.3, which has no json_build_object, built as text. */
  object(fields: Record<string, string>): string;
  /** An aclitem[] as a json list of `{ grantee, priv, grantable }`, or NULL. */
  acl(acl: string): string;
  /** `{ schema, name }` of the object `oid` in `catalog`. */
  qname(catalog: 'pg_collation' | 'pg_proc' | 'pg_opclass' | 'pg_type', oid: string): string;
  /** The columns every owned object row starts with (oid, nsp, schema, owner, comment). */
  owned(oid: string, nsp: string, ownerCol: string, catalog: string): string;
  /** Not a member of an extension (those are made by CREATE EXTENSION on the target). */
  notExtMember(catalog: string, oid: string): string;
  /**
   * Maps one pg_depend endpoint to the key of the object that owns it. `more` adds
   * `WHEN <classid> THEN <key>` branches (the object kinds of kinds/).
   */
  nodeKey(cls: string, id: string, more?: string[]): string;
}

// pgshift's own bookkeeping schema (progress marks on a target) is never migrated.
export const USER_NSP = `n.nspname <> 'information_schema' AND n.nspname <> '${BOOKKEEPING_SCHEMA}' AND n.nspname !~ '^pg_'`;

export function catalogSql(versionNum: number): CatalogSql {
  const has = featuresOf(versionNum);
  const object = (fields: Record<string, string>): string => {
    const entries = Object.entries(fields);
    if (has('jsonBuildObject'))
      return `pg_catalog.json_build_object(${entries.map(([key, expr]) => `'${key}', ${expr}`).join(', ')})`;
    const parts = entries.map(
      ([key, expr], i) =>
        `'${i === 0 ? '' : ','}"${key}":' || COALESCE(pg_catalog.to_json(${expr})::text, 'null')`,
    );
    return `('{' || ${parts.join(' || ')} || '}')::pg_catalog.json`;
  };
  const names = {
    pg_collation: ['collname', 'collnamespace'],
    pg_proc: ['proname', 'pronamespace'],
    pg_opclass: ['opcname', 'opcnamespace'],
    pg_type: ['typname', 'typnamespace'],
  } as const;
  return {
    has,
    object,
    acl: (acl) =>
      `CASE WHEN ${acl} IS NOT NULL THEN (SELECT pg_catalog.json_agg(${object({
        grantee: 'CASE WHEN a.grantee = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(a.grantee) END',
        priv: 'a.privilege_type',
        grantable: 'a.is_grantable',
      })} ORDER BY pg_catalog.pg_get_userbyid(a.grantee), a.privilege_type) FROM pg_catalog.aclexplode(${acl}) a)::text END`,
    qname: (catalog, oid) => {
      const [nameCol, nspCol] = names[catalog];
      return `(SELECT ${object({ schema: 'qn.nspname', name: `q.${nameCol}` })} FROM pg_catalog.${catalog} q JOIN pg_catalog.pg_namespace qn ON qn.oid = q.${nspCol} WHERE q.oid = ${oid})::text`;
    },
    owned: (oid, nsp, ownerCol, catalog) =>
      `${oid}::text AS oid, ${nsp}::text AS nsp, n.nspname AS schema, pg_catalog.pg_get_userbyid(${ownerCol}) AS owner, pg_catalog.obj_description(${oid}, '${catalog}') AS comment`,
    notExtMember: (catalog, oid) =>
      `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = 'pg_catalog.${catalog}'::pg_catalog.regclass AND x.objid = ${oid} AND x.deptype = 'e')`,
    nodeKey: (cls, id, more = []) => `CASE ${cls}
    WHEN 'pg_catalog.pg_namespace'::pg_catalog.regclass THEN 'schema:' || ${id}
    WHEN 'pg_catalog.pg_extension'::pg_catalog.regclass THEN 'ext:' || ${id}
    WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN 'func:' || ${id}
    WHEN 'pg_catalog.pg_collation'::pg_catalog.regclass THEN 'coll:' || ${id}
    WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN 'type:' || ${id}
    WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN (SELECT CASE WHEN c.relkind IN ('i', 'I') THEN 'rel:' || i.indrelid WHEN c.relkind = 'c' THEN 'type:' || c.reltype WHEN c.relkind = 't' THEN NULL ELSE 'rel:' || c.oid END FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid WHERE c.oid = ${id})
    WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN (SELECT 'rel:' || ad.adrelid FROM pg_catalog.pg_attrdef ad WHERE ad.oid = ${id})
    WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN (SELECT CASE WHEN k.contypid <> 0 THEN 'type:' || k.contypid WHEN k.contype IN ('c', 'p', 'u', 'x') THEN 'rel:' || k.conrelid END FROM pg_catalog.pg_constraint k WHERE k.oid = ${id})
    WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN (SELECT 'rel:' || r.ev_class FROM pg_catalog.pg_rewrite r WHERE r.oid = ${id})
    WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN (SELECT 'rel:' || t.tgrelid FROM pg_catalog.pg_trigger t WHERE t.oid = ${id})${
      has('rowSecurity')
        ? `
    WHEN 'pg_catalog.pg_policy'::pg_catalog.regclass THEN (SELECT 'rel:' || p.polrelid FROM pg_catalog.pg_policy p WHERE p.oid = ${id})`
        : ''
    }${more.map((branch) => `\n    ${branch}`).join('')}
  END`,
  };
}
