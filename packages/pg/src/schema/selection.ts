import { qualified } from '../quote.js';
import type { Catalog } from './catalog-contents.js';
import type { CatalogIndex } from './catalog-index.js';
import { SchemaError } from './errors.js';
import { closure, type Graph } from './graph.js';
import { objectKind } from './kinds/index.js';
import { type SkippedObject, tableKey } from './types.js';

/** What a table selection carries: the graph keys to create and what is left out, and why. */
export interface SelectedObjects {
  keys: Set<string>;
  /** Objects not created because they need a table outside the selection. */
  skipped: SkippedObject[];
  /** Selected tables the catalog does not have, as `tableKey`s. */
  missing: string[];
}

/**
 * Everything a table selection keeps: the selected tables (with their partitions and owned
 * sequences) and what they need, plus every other object that does not need, through pg_depend, a
 * table left out. A table left out takes along the sequences OWNED BY its columns, unless a kept
 * object uses one. Whatever needs a left-out table is not created and is listed in `skipped`.
 */
export function selectObjects(
  catalog: Catalog,
  index: CatalogIndex,
  graph: Graph,
  tables: readonly { schema: string; name: string }[],
): SelectedObjects {
  const byName = new Map(catalog.relations.map((r) => [tableKey(r.schema, r.name), r]));
  const roots: string[] = [];
  const missing: string[] = [];
  const addWithPartitions = (oid: string) => {
    roots.push(`rel:${oid}`);
    for (const p of index.partitions.get(oid) ?? []) addWithPartitions(p.oid);
  };
  for (const t of tables) {
    const r = byName.get(tableKey(t.schema, t.name));
    if (r) addWithPartitions(r.oid);
    else missing.push(tableKey(t.schema, t.name));
  }
  const chosen = closure(graph, roots, (key) =>
    key.startsWith('rel:') ? (index.ownedSequences.get(key.slice(4)) ?? []).map((s) => `rel:${s.oid}`) : [],
  );

  // Each left-out table, and the sequences it owns, is a seed; whatever needs a seed is left out.
  const leftOutBy = new Map<string, Set<string>>();
  const seeds: [string, string][] = [];
  for (const r of catalog.relations) {
    if ((r.relkind !== 'r' && r.relkind !== 'p') || chosen.has(`rel:${r.oid}`)) continue;
    const name = qualified(r.schema, r.name);
    seeds.push([`rel:${r.oid}`, name]);
    for (const s of index.ownedSequences.get(r.oid) ?? [])
      if (!chosen.has(`rel:${s.oid}`)) seeds.push([`rel:${s.oid}`, name]);
  }
  const neededBy = reverse(graph);
  for (const [seed, table] of seeds) {
    const stack = [seed];
    while (stack.length > 0) {
      const key = stack.pop() as string;
      const by = leftOutBy.get(key) ?? new Set<string>();
      if (by.has(table)) continue;
      by.add(table);
      leftOutBy.set(key, by);
      for (const next of neededBy.get(key) ?? []) stack.push(next);
    }
  }

  const keys = new Set([...graph.nodes.keys()].filter((key) => !leftOutBy.has(key) || chosen.has(key)));
  const seedKeys = new Set(seeds.map(([key]) => key));
  const skipped: SkippedObject[] = [];
  for (const [key, by] of leftOutBy) {
    if (keys.has(key) || seedKeys.has(key)) continue;
    const label = describeNode(catalog, graph, key);
    if (label) skipped.push({ ...label, needs: [...by].sort() });
  }
  skipped.sort((a, b) => (a.kind + a.name < b.kind + b.name ? -1 : 1));
  return { keys, skipped, missing };
}

/** selectObjects, refusing a selection that names a table the source lacks (planSchema's rule). */
export function selectObjectsStrictly(
  catalog: Catalog,
  index: CatalogIndex,
  graph: Graph,
  tables: readonly { schema: string; name: string }[],
): SelectedObjects {
  const selected = selectObjects(catalog, index, graph, tables);
  if (selected.missing.length > 0)
    throw new SchemaError(
      'PGSHIFT_SCHEMA_UNKNOWN_TABLE',
      `the source has no table ${selected.missing.join(', ')}`,
      {
        remedy:
          'check the selected table names (schema and name are case-sensitive) against the source database',
        details: { missing: selected.missing },
      },
    );
  return selected;
}

function reverse(graph: Graph): Map<string, string[]> {
  const neededBy = new Map<string, string[]>();
  for (const [key, needs] of graph.needs)
    for (const need of needs) {
      const list = neededBy.get(need) ?? [];
      list.push(key);
      neededBy.set(need, list);
    }
  return neededBy;
}

const FUNCTION_KINDS = { f: 'function', w: 'function', p: 'procedure', a: 'aggregate' } as const;
const TYPE_KINDS = {
  e: 'enum type',
  d: 'domain',
  c: 'composite type',
  r: 'range type',
  b: 'base type',
  p: 'shell type',
} as const;

/** A graph node as `{ kind, name }` for a report, or undefined for nodes not worth naming. */
function describeNode(
  catalog: Catalog,
  graph: Graph,
  key: string,
): { kind: string; name: string } | undefined {
  const [prefix = '', oid] = key.split(':');
  const find = <T extends { oid: string }>(rows: T[]) => rows.find((row) => row.oid === oid);
  switch (prefix) {
    case 'rel': {
      const r = find(catalog.relations);
      if (r) {
        const kind = r.relkind === 'v' ? 'view' : r.relkind === 'm' ? 'materialized view' : 'table';
        return { kind, name: qualified(r.schema, r.name) };
      }
      const s = find(catalog.sequences);
      return s && { kind: 'sequence', name: qualified(s.schema, s.name) };
    }
    case 'func': {
      const f = find(catalog.functions);
      return f && { kind: FUNCTION_KINDS[f.kind], name: `${qualified(f.schema, f.name)}(${f.args})` };
    }
    case 'type': {
      const t = find(catalog.types);
      return t && { kind: TYPE_KINDS[t.typtype] ?? 'type', name: qualified(t.schema, t.name) };
    }
    case 'coll': {
      const c = find(catalog.collations);
      return c && { kind: 'collation', name: qualified(c.schema, c.name) };
    }
    default: {
      const kind = objectKind(graph.nodes.get(key)?.kind ?? '');
      const row = kind && find(catalog.kinds[kind.prefix] ?? []);
      return row && kind && { kind: kind.label, name: row.name };
    }
  }
}
