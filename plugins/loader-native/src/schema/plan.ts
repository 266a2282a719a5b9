import {
  buildGraph,
  type Catalog,
  CatalogIndex,
  cloneNameFixes,
  collationDdl,
  defaultAclDdl,
  dependencyOrder,
  extensionDdl,
  functionDdl,
  functionGrantTarget,
  functionTarget,
  type GraphNode,
  grantDdl,
  indexAttachments,
  type KindRow,
  largeObjectKind,
  laterConstraints,
  OBJECT_KINDS,
  objectKind,
  optionsTake,
  ownerDdl,
  postDataComments,
  qualified,
  quoteIdent,
  readCatalog,
  relationDdl,
  rowSecurity,
  type SchemaOptions,
  type SchemaPlan,
  type SchemaSelection,
  type SchemaStatement,
  type SkippedObject,
  schemaDdl,
  selectObjectsStrictly,
  sequenceDdl,
  serverVersionNum,
  statement,
  statisticsObjects,
  superuserOnlyFlags,
  tableKey,
  tablePostData,
  triggersAndRules,
  typeDdl,
  viewsNeedingConstraints,
  withEmptySearchPath,
} from '@pgshift/pg';
import type pg from 'pg';

/**
 * Reads the source database's schema from its catalogs and plans the DDL that recreates it on a
 * target of the same or a newer major. With `selection.tables`, those tables (with their
 * partitions) and what they need, and every other object that needs no table left out (see
 * selectObjects); what does need one is listed in `skipped`.
 */
export async function planSchema(
  client: pg.Client,
  selection: SchemaSelection,
  options: SchemaOptions,
): Promise<SchemaPlan> {
  const versionNum = await serverVersionNum(client);
  const catalog = await withEmptySearchPath(client, () => readCatalog(client, versionNum));
  return buildPlan(catalog, selection, options);
}

export function buildPlan(catalog: Catalog, selection: SchemaSelection, options: SchemaOptions): SchemaPlan {
  const graph = buildGraph(catalog);
  const index = new CatalogIndex(catalog, graph.splitChecks);
  const selected = selection.tables
    ? selectObjectsStrictly(catalog, index, graph, selection.tables)
    : undefined;
  const included = selected?.keys ?? new Set(graph.nodes.keys());
  const order = dependencyOrder(graph, included);
  const deferredViews = viewsNeedingConstraints(catalog, graph);
  const viewsAfterKeys: SchemaStatement[] = [];

  const byKey = {
    schema: new Map(catalog.schemas.map((o) => [`schema:${o.oid}`, o])),
    ext: new Map(catalog.extensions.map((o) => [`ext:${o.oid}`, o])),
    coll: new Map(catalog.collations.map((o) => [`coll:${o.oid}`, o])),
    type: new Map(catalog.types.map((o) => [`type:${o.oid}`, o])),
    func: new Map(catalog.functions.map((o) => [`func:${o.oid}`, o])),
    seq: new Map(catalog.sequences.map((o) => [`rel:${o.oid}`, o])),
    rel: new Map(catalog.relations.map((o) => [`rel:${o.oid}`, o])),
  };
  const get = <T>(map: Map<string, T>, node: GraphNode): T => map.get(node.key) as T;
  const kindRows = new Map<string, KindRow>();
  for (const kind of OBJECT_KINDS)
    for (const row of catalog.kinds[kind.prefix] ?? []) kindRows.set(`${kind.prefix}:${row.oid}`, row);
  const typeByOid = new Map(catalog.types.map((t) => [t.oid, t]));

  const preData: SchemaStatement[] = [];
  const owners: SchemaStatement[] = [];
  const grants: SchemaStatement[] = [];
  const kindFinish: SchemaStatement[] = [];
  const kindSkipped: SkippedObject[] = [];
  const relations = [];
  for (const node of order) {
    switch (node.kind) {
      case 'schema': {
        const s = get(byKey.schema, node);
        preData.push(...schemaDdl(s));
        owners.push(ownerDdl(`SCHEMA ${quoteIdent(s.name)}`, s.owner, `schema ${quoteIdent(s.name)}`));
        grants.push(
          ...grantDdl(`SCHEMA ${quoteIdent(s.name)}`, s.acl, s.owner, `schema ${quoteIdent(s.name)}`),
        );
        break;
      }
      case 'ext':
        preData.push(...extensionDdl(get(byKey.ext, node)));
        break;
      case 'coll': {
        const c = get(byKey.coll, node);
        preData.push(...collationDdl(c));
        owners.push(ownerDdl(`COLLATION ${qualified(c.schema, c.name)}`, c.owner, `collation ${c.name}`));
        break;
      }
      case 'type': {
        const t = get(byKey.type, node);
        const target = `${t.typtype === 'd' ? 'DOMAIN' : 'TYPE'} ${qualified(t.schema, t.name)}`;
        preData.push(...typeDdl(t));
        owners.push(ownerDdl(target, t.owner, target));
        grants.push(...grantDdl(target, t.acl, t.owner, target));
        break;
      }
      case 'func': {
        const f = get(byKey.func, node);
        preData.push(...functionDdl(f));
        owners.push(ownerDdl(functionTarget(f), f.owner, functionTarget(f)));
        grants.push(...grantDdl(functionGrantTarget(f), f.acl, f.owner, functionTarget(f)));
        break;
      }
      case 'shell': {
        const t = typeByOid.get(node.key.slice('shell:'.length));
        if (t)
          preData.push(statement(`CREATE TYPE ${qualified(t.schema, t.name)}`, `shell of type ${t.name}`));
        break;
      }
      case 'seq': {
        const s = get(byKey.seq, node);
        const target = `SEQUENCE ${qualified(s.schema, s.name)}`;
        preData.push(...sequenceDdl(s));
        // An owned sequence follows its table's owner (ALTER TABLE ... OWNER cascades).
        if (!s.ownedBy) owners.push(ownerDdl(target, s.owner, target));
        grants.push(...grantDdl(target, s.acl, s.owner, target));
        break;
      }
      default: {
        const objectKindOfNode = objectKind(node.kind);
        if (objectKindOfNode) {
          const made = objectKindOfNode.statements(kindRows.get(node.key));
          preData.push(...made.create);
          owners.push(...(made.owner ?? []));
          grants.push(...(made.grants ?? []));
          kindFinish.push(...(made.finish ?? []));
          kindSkipped.push(...(made.skipped ?? []));
          break;
        }
        const r = get(byKey.rel, node);
        relations.push(r);
        (deferredViews.has(node.key) ? viewsAfterKeys : preData).push(...relationDdl(r, index));
        const kind =
          r.relkind === 'v'
            ? 'VIEW'
            : r.relkind === 'm'
              ? 'MATERIALIZED VIEW'
              : r.relkind === 'f'
                ? 'FOREIGN TABLE'
                : 'TABLE';
        const name = qualified(r.schema, r.name);
        owners.push(ownerDdl(`${kind} ${name}`, r.owner, `${kind.toLowerCase()} ${name}`));
        grants.push(...grantDdl(`TABLE ${name}`, r.acl, r.owner, `${kind.toLowerCase()} ${name}`));
        for (const c of index.columns.get(r.oid) ?? [])
          grants.push(
            ...grantDdl(`TABLE ${name}`, c.acl, r.owner, `column ${quoteIdent(c.name)} of ${name}`, c.name),
          );
      }
    }
  }

  const includedRels = new Set(relations.map((r) => r.oid));
  const sequences: { schema: string; name: string }[] = [];
  for (const s of catalog.sequences) {
    const owner = s.ownedBy;
    if (owner?.identity ? includedRels.has(owner.tableOid) : included.has(`rel:${s.oid}`)) {
      sequences.push({ schema: s.schema, name: s.name });
      if (owner && !owner.identity && includedRels.has(owner.tableOid))
        preData.push(
          statement(
            `ALTER SEQUENCE ${qualified(s.schema, s.name)} OWNED BY ${qualified(owner.schema, owner.table)}.${quoteIdent(owner.column)}`,
            `ownership of sequence ${qualified(s.schema, s.name)}`,
          ),
        );
    }
  }

  const tables = relations.filter((r) => r.relkind === 'r' || r.relkind === 'p');
  const matviews = relations.filter((r) => r.relkind === 'm');
  const tablePost = new Map<string, SchemaStatement[]>();
  for (const r of tables) tablePost.set(tableKey(r.schema, r.name), tablePostData(r, index));

  // Post-data kinds (event triggers, publications, ...) come last; with a table selection only
  // those that say they belong to one, and those an option must ask for (publications) only when
  // it does: a default, not something the copy cannot do, so they are not listed in `skipped`.
  const postKinds = OBJECT_KINDS.filter(
    (k) => k.phase === 'post' && (!selection.tables || k.withSelection) && optionsTake(k, options),
  ).flatMap((k) => (catalog.kinds[k.prefix] ?? []).map((row) => k.statements(row)));

  const postData: SchemaStatement[] = [
    ...viewsAfterKeys,
    ...indexAttachments(tables, index, includedRels),
    ...tables.flatMap((r) => laterConstraints(r, index, includedRels)),
    ...cloneNameFixes(tables, index, includedRels),
    ...relations.flatMap((r) => triggersAndRules(r, index)),
    ...tables.flatMap((r) => rowSecurity(r, index)),
    ...relations.flatMap((r) => statisticsObjects(r, index)),
    ...matviews.flatMap((m) => [
      ...(m.populated
        ? [
            statement(
              `REFRESH MATERIALIZED VIEW ${qualified(m.schema, m.name)}`,
              `data of materialized view ${qualified(m.schema, m.name)}`,
            ),
          ]
        : []),
      ...tablePostData(m, index),
    ]),
    ...relations.flatMap((r) => postDataComments(r, index, includedRels)),
    ...postKinds.flatMap((made) => made.create),
    ...(options.copyOwners ? [...owners, ...postKinds.flatMap((made) => made.owner ?? [])] : []),
    ...(options.copyPrivileges ? [...grants, ...postKinds.flatMap((made) => made.grants ?? [])] : []),
    // Default privileges shape objects made later: global ones and those of the schemas kept.
    ...(options.copyPrivileges
      ? catalog.defaultAcls
          .filter((d) => d.nsp === null || included.has(`schema:${d.nsp}`))
          .flatMap(defaultAclDdl)
      : []),
  ];

  const skipped = [
    ...catalog.unsupported,
    ...kindSkipped,
    ...postKinds.flatMap((made) => made.skipped ?? []),
    ...superuserOnlyFlags(tables, index),
    ...(selected?.skipped ?? []),
    ...tables.flatMap((r) =>
      (index.constraints.get(r.oid) ?? [])
        .filter((k) => k.contype === 'f' && k.parentOid === '0' && !includedRels.has(k.refRel))
        .map((k) => {
          const ref = index.relations.get(k.refRel);
          return {
            kind: 'foreign key to a table outside the selection',
            name: `${quoteIdent(k.name)} on ${qualified(r.schema, r.name)}`,
            ...(ref ? { needs: [qualified(ref.schema, ref.name)] } : {}),
          };
        }),
    ),
  ];

  return {
    skipped,
    preData,
    tablePostData: tablePost,
    postData,
    finish: [...kindFinish, ...postKinds.flatMap((made) => made.finish ?? [])],
    largeObjects: selection.tables ? [] : (catalog.kinds[largeObjectKind.prefix] ?? []).map((l) => l.oid),
    sequences,
    materializedViews: matviews.map((m) => ({ schema: m.schema, name: m.name })),
  };
}
