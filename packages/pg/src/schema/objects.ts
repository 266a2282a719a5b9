import type pg from 'pg';
import { serverVersionNum } from '../server-version.js';
import { readCatalog } from './catalog.js';
import type { Catalog } from './catalog-contents.js';
import { CatalogIndex } from './catalog-index.js';
import type { BaseTypeDefinition, ForeignTableInfo } from './catalog-rows.js';
import { redacted } from './generic-options.js';
import { buildGraph } from './graph.js';
import { OBJECT_KINDS, optionsTake } from './kinds/index.js';
import { selectObjects } from './selection.js';
import { withEmptySearchPath } from './session.js';
import type { SchemaObject, SchemaOptions, SchemaSelection } from './types.js';

/**
 * The database's schema as a flat list that compares equal between a source and a target made
 * from it, whatever their majors (10 to 17). Sorted by kind, schema, table, name. A view's
 * body is compared through its columns (kind `column`): the server prints the same query
 * differently across majors (16 stopped qualifying column names, for one). With
 * `selection.tables`, only what planSchema copies for those tables.
 */
export async function readSchemaObjects(
  client: pg.Client,
  selection: SchemaSelection = {},
  options: Partial<SchemaOptions> = {},
): Promise<SchemaObject[]> {
  return schemaObjects(await readSelectedCatalog(client, selection), options);
}

/**
 * The sequences planSchema copies for the selection (every one of the database's without one):
 * those whose values verify compares.
 */
export async function readSelectedSequences(
  client: pg.Client,
  selection: SchemaSelection = {},
): Promise<{ schema: string; name: string }[]> {
  const catalog = await readSelectedCatalog(client, selection);
  return catalog.sequences.map((s) => ({ schema: s.schema, name: s.name }));
}

async function readSelectedCatalog(client: pg.Client, selection: SchemaSelection): Promise<Catalog> {
  const versionNum = await serverVersionNum(client);
  const catalog = await withEmptySearchPath(client, () => readCatalog(client, versionNum));
  return selection.tables ? restrict(catalog, selection.tables) : catalog;
}

/**
 * The part of the catalog planSchema would copy for these tables. A selected table missing here
 * is no error: verify reports it as missing on the side that lacks it.
 */
function restrict(catalog: Catalog, tables: { schema: string; name: string }[]): Catalog {
  const index = new CatalogIndex(catalog);
  const { keys } = selectObjects(catalog, index, buildGraph(catalog), tables);
  const rels = new Set(catalog.relations.filter((r) => keys.has(`rel:${r.oid}`)).map((r) => r.oid));
  const onRel = <T extends { rel: string }>(rows: T[]) => rows.filter((row) => rels.has(row.rel));
  return {
    ...catalog,
    schemas: catalog.schemas.filter((o) => keys.has(`schema:${o.oid}`)),
    extensions: catalog.extensions.filter((o) => keys.has(`ext:${o.oid}`)),
    collations: catalog.collations.filter((o) => keys.has(`coll:${o.oid}`)),
    types: catalog.types.filter((o) => keys.has(`type:${o.oid}`)),
    functions: catalog.functions.filter((o) => keys.has(`func:${o.oid}`)),
    // A sequence kept without the table that owns it is created without OWNED BY.
    sequences: catalog.sequences
      .filter((s) => (s.ownedBy?.identity ? rels.has(s.ownedBy.tableOid) : keys.has(`rel:${s.oid}`)))
      .map((s) => (s.ownedBy && !rels.has(s.ownedBy.tableOid) ? { ...s, ownedBy: null } : s)),
    relations: catalog.relations.filter((r) => rels.has(r.oid)),
    columns: onRel(catalog.columns),
    indexes: onRel(catalog.indexes),
    constraints: onRel(catalog.constraints).filter((k) => k.contype !== 'f' || rels.has(k.refRel)),
    triggers: onRel(catalog.triggers),
    rules: onRel(catalog.rules),
    policies: onRel(catalog.policies),
    statistics: onRel(catalog.statistics),
    defaultAcls: catalog.defaultAcls.filter((d) => d.nsp === null || keys.has(`schema:${d.nsp}`)),
    kinds: Object.fromEntries(
      OBJECT_KINDS.map((k) => [
        k.prefix,
        (catalog.kinds[k.prefix] ?? []).filter((row) =>
          k.phase === 'pre' ? keys.has(`${k.prefix}:${row.oid}`) : k.withSelection === true,
        ),
      ]),
    ),
  };
}

const json = (value: unknown) => JSON.stringify(value);

const RELATION_KIND: Record<string, string> = { v: 'view', m: 'materialized view', f: 'foreign table' };

/** A foreign table's server and options, secrets redacted. */
function comparableForeignTable(f: ForeignTableInfo): ForeignTableInfo {
  return {
    server: f.server,
    options: redacted(f.options),
    columns: f.columns?.map((c) => ({ name: c.name, options: redacted(c.options) })) ?? null,
  };
}

/**
 * A view query as text to compare across majors: from 16 on the server no longer qualifies
 * column names in a query over one relation (`t.id` became `id`), so every qualifier is left out
 * on both sides, and whitespace is collapsed.
 */
function comparableViewDef(def: string): string {
  return def
    .replace(/("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\.(?=[A-Za-z_"*])/g, '')
    .replace(/\s+/g, ' ')
    .replace(/;\s*$/, '')
    .trim();
}

/** Text the server prints differently across majors for the same object. */
function normalizeTrigger(def: string): string {
  return def.replace(/ EXECUTE PROCEDURE /, ' EXECUTE FUNCTION ');
}

/**
 * From 14 on a base type with an ELEMENT and no SUBSCRIPT gets raw_array_subscript_handler, which
 * an older source has no column for: compared as no subscript handler.
 */
function baseTypeSignature(d: BaseTypeDefinition): BaseTypeDefinition {
  const implied =
    d.element !== null &&
    d.subscript?.schema === 'pg_catalog' &&
    d.subscript.name === 'raw_array_subscript_handler';
  return implied ? { ...d, subscript: null } : d;
}

/** `options`: kinds copied only when an option asks (publications) are compared only then too. */
export function schemaObjects(catalog: Catalog, options: Partial<SchemaOptions> = {}): SchemaObject[] {
  const out: SchemaObject[] = [];
  const rels = new Map(catalog.relations.map((r) => [r.oid, r]));
  const push = (kind: string, schema: string, name: string, signature: unknown, table?: string) =>
    out.push(
      table === undefined
        ? { kind, schema, name, signature: json(signature) }
        : { kind, schema, name, table, signature: json(signature) },
    );

  for (const s of catalog.schemas) push('schema', s.name, s.name, { comment: s.comment });
  for (const e of catalog.extensions)
    push('extension', e.schema, e.name, { schema: e.schema, comment: e.comment });
  // ICU's locale sat in collcollate before 15 and has its own column since.
  for (const c of catalog.collations)
    push(
      'collation',
      c.schema,
      c.name,
      c.provider === 'i'
        ? {
            provider: c.provider,
            locale: c.locale ?? c.lcCollate,
            deterministic: c.deterministic,
            comment: c.comment,
          }
        : {
            provider: c.provider,
            collate: c.lcCollate,
            ctype: c.lcCtype,
            deterministic: c.deterministic,
            comment: c.comment,
          },
    );
  for (const t of catalog.types) {
    // The multirange type's name is left out: a 14+ target makes one for a range from an older source.
    const range = t.range && { ...t.range, multirange: undefined };
    push(`type:${t.typtype}`, t.schema, t.name, {
      labels: t.labels,
      base: t.baseType,
      notNull: t.notNull,
      default: t.defaultExpr,
      collation: t.collation,
      checks: t.checks?.map((k) => ({
        name: k.name,
        def: k.def,
        validated: k.validated,
        comment: k.comment,
      })),
      attributes: t.attributes,
      range,
      definition: t.definition && baseTypeSignature(t.definition),
      comment: t.comment,
    });
  }
  for (const f of catalog.functions) {
    // From 14 on a procedure's arguments carry their mode ("IN n integer"); before, they did not.
    const args = f.kind === 'p' ? f.args.replace(/(^|, )IN /g, '$1') : f.args;
    const def = f.def.trim().replace(`(${f.args})`, `(${args})`);
    push(
      { f: 'function', w: 'function', p: 'procedure', a: 'aggregate' }[f.kind],
      f.schema,
      `${f.name}(${args})`,
      { def },
    );
  }
  for (const s of catalog.sequences)
    push('sequence', s.schema, s.name, {
      type: s.type,
      start: s.start,
      increment: s.increment,
      min: s.min,
      max: s.max,
      cache: s.cache,
      cycle: s.cycle,
      // An identity sequence is unlogged with its table from 15 on, logged before.
      unlogged: s.ownedBy?.identity ? undefined : s.unlogged,
      ownedBy: s.ownedBy && { ...s.ownedBy, tableOid: undefined },
      comment: s.comment,
    });
  for (const r of catalog.relations) {
    const kind = RELATION_KIND[r.relkind] ?? 'table';
    push(kind, r.schema, r.name, {
      partitioned: r.relkind === 'p',
      unlogged: r.unlogged,
      options: r.options,
      partKey: r.partKey,
      bound: r.bound,
      parents: r.parents?.map((p) => ({ schema: p.schema, name: p.name })) ?? null,
      rowSecurity: r.rowSecurity,
      forceRowSecurity: r.forceRowSecurity,
      replicaIdentity: r.replIdent,
      accessMethod: r.accessMethod,
      comment: r.comment,
      ...(r.foreign ? { foreign: comparableForeignTable(r.foreign) } : {}),
      ofType: r.ofType,
      toastOptions: r.toastOptions,
      // A materialized view's rows are not compared (a refresh may rightly differ from stale
      // contents), but whether it holds any and what it selects are.
      ...(r.relkind === 'm'
        ? { populated: r.populated, definition: comparableViewDef(r.viewDef ?? '') }
        : {}),
    });
  }
  const positions = new Map<string, number>();
  for (const c of catalog.columns) {
    const r = rels.get(c.rel);
    if (!r) continue;
    // Among live columns: dropped ones leave gaps in attnum that a copy does not have.
    const position = (positions.get(c.rel) ?? 0) + 1;
    positions.set(c.rel, position);
    push(
      'column',
      r.schema,
      c.name,
      {
        type: c.type,
        notNull: c.notNull,
        default: c.defaultExpr,
        identity: c.identity,
        generated: c.generated,
        collation: c.collation,
        comment: c.comment,
        position,
        isLocal: c.isLocal,
        inhCount: c.inhCount,
        statistics: c.statistics,
        options: c.options,
        // Storage only where it is not the type's; the default compression is '' on every major.
        storage: c.storage === c.typeStorage ? null : c.storage,
        compression: c.compression === '' ? null : c.compression,
      },
      r.name,
    );
  }
  for (const i of catalog.indexes) {
    const r = rels.get(i.rel);
    if (r)
      push(
        'index',
        i.schema,
        i.name,
        { def: i.def, clustered: i.clustered, parent: i.parent, comment: i.comment },
        r.name,
      );
  }
  for (const k of catalog.constraints) {
    const r = rels.get(k.rel);
    // Foreign keys cloned onto partitions are made (and named) by the target from the parent's.
    if (!r || (k.contype === 'f' && k.parentOid !== '0')) continue;
    push(
      'constraint',
      r.schema,
      k.name,
      { type: k.contype, def: k.def, validated: k.validated, comment: k.comment },
      r.name,
    );
  }
  for (const t of catalog.triggers) {
    const r = rels.get(t.rel);
    if (r)
      push(
        'trigger',
        r.schema,
        t.name,
        { def: normalizeTrigger(t.def), enabled: t.enabled, comment: t.comment },
        r.name,
      );
  }
  for (const rule of catalog.rules) {
    const r = rels.get(rule.rel);
    if (r) push('rule', r.schema, rule.name, { def: rule.def, comment: rule.comment }, r.name);
  }
  for (const p of catalog.policies) {
    const r = rels.get(p.rel);
    if (r) push('policy', r.schema, p.name, { ...p, rel: undefined }, r.name);
  }
  for (const x of catalog.statistics) {
    const r = rels.get(x.rel);
    if (r) push('statistics', x.schema, x.name, { def: x.def, comment: x.comment }, r.name);
  }
  // Default privileges are privileges: compared only where the copy carries them.
  if (options.copyPrivileges !== false)
    for (const d of catalog.defaultAcls)
      push('default privileges', d.schema ?? '', `${d.role} ${d.objtype}`, { acl: d.acl });
  for (const kind of OBJECT_KINDS) {
    if (!kind.compare || !optionsTake(kind, options)) continue;
    for (const row of catalog.kinds[kind.prefix] ?? []) {
      const c = kind.compare(row);
      push(kind.label, c.schema, c.name, c.signature, c.table);
    }
  }
  const key = (o: SchemaObject) => `${o.kind}\u0000${o.schema}\u0000${o.table ?? ''}\u0000${o.name}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
