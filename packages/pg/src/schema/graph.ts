import type { Catalog } from './catalog-contents.js';
import { MinHeap } from './heap.js';
import { OBJECT_KINDS, objectKind } from './kinds/index.js';

/*
 * The pre-data objects as a dependency graph. Keys name the owning object of any catalog row:
 * `schema:<oid>`, `ext:<oid>`, `coll:<oid>`, `type:<oid>`, `func:<oid>`, `rel:<oid>` (tables,
 * views, materialized views and sequences). pg_depend rows about columns, defaults, constraints,
 * rules, triggers and indexes are folded into their table, array and row types into their
 * element type or relation, and anything that belongs to an extension into that extension.
 * Every pre-data kind of kinds/ adds its nodes as `<prefix>:<oid>`. A type that needs a function
 * taking that very type (a base type's I/O functions, a range's canonical function) gets a
 * `shell:<oid>` node too: created first as a shell, as PostgreSQL allows, then the functions,
 * then the full type.
 */

/** The built-in kinds, `shell` (see above), or the prefix of a kind of kinds/. */
export type NodeKind =
  | 'schema'
  | 'ext'
  | 'coll'
  | 'shell'
  | 'type'
  | 'func'
  | 'seq'
  | 'table'
  | 'view'
  | 'matview'
  | (string & {});

export interface GraphNode {
  key: string;
  kind: NodeKind;
  /** Sort key among objects free to go at the same time: kind rank, then schema and name. */
  order: string;
}

export interface Graph {
  nodes: Map<string, GraphNode>;
  /** key -> keys it needs created first */
  needs: Map<string, Set<string>>;
  /**
   * CHECK constraints split from their table to break a cycle: the constraint calls a function
   * that needs the table (its row type as an argument, say). The table is created without them
   * and they are added after the data, as pg_dump does.
   */
  splitChecks: Set<string>;
}

const RANK: Record<string, number> = {
  schema: 0,
  ext: 1,
  coll: 2,
  shell: 3,
  type: 3,
  func: 4,
  seq: 5,
  table: 6,
  view: 7,
  matview: 7,
};

const CATALOG_OF_PREFIX: Record<string, string> = {
  schema: 'pg_namespace',
  ext: 'pg_extension',
  coll: 'pg_collation',
  type: 'pg_type',
  func: 'pg_proc',
  rel: 'pg_class',
  ...Object.fromEntries(OBJECT_KINDS.map((k) => [k.prefix, k.catalog])),
};

/** Fixed width, so `order` strings sort by rank first (ranks may have fractions: 4.5). */
function rankText(kind: NodeKind): string {
  return (RANK[kind] ?? objectKind(kind)?.rank ?? 9).toFixed(2).padStart(6, '0');
}

export function buildGraph(catalog: Catalog): Graph {
  const nodes = new Map<string, GraphNode>();
  const add = (key: string, kind: NodeKind, schema: string, name: string) =>
    nodes.set(key, { key, kind, order: `${rankText(kind)}\u0000${schema}\u0000${name}\u0000${key}` });

  for (const s of catalog.schemas) add(`schema:${s.oid}`, 'schema', s.name, '');
  for (const e of catalog.extensions) add(`ext:${e.oid}`, 'ext', '', e.name);
  for (const c of catalog.collations) add(`coll:${c.oid}`, 'coll', c.schema, c.name);
  for (const t of catalog.types) add(`type:${t.oid}`, 'type', t.schema, t.name);
  for (const f of catalog.functions) add(`func:${f.oid}`, 'func', f.schema, `${f.name}(${f.args})`);
  // Identity sequences come with their column, so they are no node of their own.
  for (const s of catalog.sequences) if (!s.ownedBy?.identity) add(`rel:${s.oid}`, 'seq', s.schema, s.name);
  for (const r of catalog.relations) {
    const kind: NodeKind = r.relkind === 'v' ? 'view' : r.relkind === 'm' ? 'matview' : 'table';
    add(`rel:${r.oid}`, kind, r.schema, r.name);
  }
  for (const kind of OBJECT_KINDS) {
    if (kind.phase !== 'pre') continue;
    for (const row of catalog.kinds[kind.prefix] ?? [])
      add(`${kind.prefix}:${row.oid}`, kind.prefix, row.schema ?? '', row.name);
  }

  const extMember = new Map<string, string>();
  for (const m of catalog.extensionMembers) extMember.set(`${m.cls}:${m.objid}`, `ext:${m.ext}`);
  const typeInfo = new Map(catalog.typeInfo.map((t) => [t.oid, t]));

  const viaExtension = (key: string): string => {
    const [prefix, oid] = key.split(':') as [string, string];
    const cls = CATALOG_OF_PREFIX[prefix];
    return (cls && extMember.get(`${cls}:${oid}`)) ?? key;
  };
  const resolve = (cls: string, oid: string, structural: string | null): string | undefined => {
    const direct = extMember.get(`${cls}:${oid}`);
    if (direct) return nodes.has(direct) ? direct : undefined;
    let key = structural;
    for (let hops = 0; key?.startsWith('type:') && hops < 4; hops++) {
      const info = typeInfo.get(key.slice(5));
      if (!info) break;
      if (info.elem) key = `type:${info.elem}`;
      else if (info.rangeOf) key = `type:${info.rangeOf}`;
      else if (info.typtype === 'c' && info.relkind !== 'c' && info.relkind !== '')
        key = `rel:${info.typrelid}`;
      else break;
    }
    if (!key) return undefined;
    key = viaExtension(key);
    return nodes.has(key) ? key : undefined;
  };

  const needs = new Map<string, Set<string>>();
  for (const key of nodes.keys()) needs.set(key, new Set());
  const need = (from: string | undefined, to: string | undefined) => {
    if (from && to && from !== to && nodes.has(from) && nodes.has(to)) needs.get(from)?.add(to);
  };

  const sequenceKeys = new Set(catalog.sequences.map((s) => `rel:${s.oid}`));
  const checks = new Set(catalog.constraints.filter((k) => k.contype === 'c').map((k) => k.oid));
  // Edges owed only to CHECK constraints, which can be split from their table if need be.
  const checkEdges = new Map<string, { from: string; to: string; constraints: Set<string> }>();
  const otherEdges = new Set<string>();
  for (const d of catalog.dependencies) {
    const from = resolve(d.cls, d.objid, d.objKey);
    // A sequence OWNED BY a column is created before its table and attached afterwards.
    if (d.deptype === 'a' && from && sequenceKeys.has(from)) continue;
    const to = resolve(d.refCls, d.refObjid, d.refKey);
    need(from, to);
    if (!from || !to) continue;
    const edge = `${from}\u0000${to}`;
    if (d.cls === 'pg_constraint' && checks.has(d.objid)) {
      const entry = checkEdges.get(edge) ?? { from, to, constraints: new Set<string>() };
      entry.constraints.add(d.objid);
      checkEdges.set(edge, entry);
    } else otherEdges.add(edge);
  }
  // Not everything is in pg_depend (schemas of some objects, inheritance on old majors): add it.
  for (const e of catalog.extensions) need(`ext:${e.oid}`, `schema:${e.nsp}`);
  for (const c of catalog.collations) need(`coll:${c.oid}`, `schema:${c.nsp}`);
  for (const t of catalog.types) need(`type:${t.oid}`, `schema:${t.nsp}`);
  for (const f of catalog.functions) need(`func:${f.oid}`, `schema:${f.nsp}`);
  for (const s of catalog.sequences) need(`rel:${s.oid}`, `schema:${s.nsp}`);
  for (const r of catalog.relations) need(`rel:${r.oid}`, `schema:${r.nsp}`);
  for (const r of catalog.relations) for (const p of r.parents ?? []) need(`rel:${r.oid}`, `rel:${p.oid}`);
  for (const kind of OBJECT_KINDS)
    for (const row of catalog.kinds[kind.prefix] ?? []) {
      if (row.nsp) need(`${kind.prefix}:${row.oid}`, `schema:${row.nsp}`);
      for (const key of kind.needs?.(row) ?? []) need(`${kind.prefix}:${row.oid}`, key);
    }
  addShellTypes(catalog, nodes, needs, add);
  const splitChecks = new Set<string>();
  for (const [edge, { from, to, constraints }] of checkEdges) {
    if (otherEdges.has(edge) || !reaches(needs, to, from)) continue;
    needs.get(from)?.delete(to);
    for (const oid of constraints) splitChecks.add(oid);
  }
  return { nodes, needs, splitChecks };
}

/** Whether `from` needs `to`, directly or through other nodes. */
function reaches(needs: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const key = stack.pop() as string;
    if (key === to) return true;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const next of needs.get(key) ?? []) stack.push(next);
  }
  return false;
}

/**
 * Breaks the cycle between a type and the functions it is built from that take it (a base type's
 * input/output functions, a range's canonical function): those functions need only a shell of
 * the type, `shell:<oid>`, which the plan creates as `CREATE TYPE name`.
 */
function addShellTypes(
  catalog: Catalog,
  nodes: Map<string, GraphNode>,
  needs: Map<string, Set<string>>,
  add: (key: string, kind: NodeKind, schema: string, name: string) => void,
): void {
  for (const t of catalog.types) {
    const key = `type:${t.oid}`;
    const shell = `shell:${t.oid}`;
    for (const fn of needs.get(key) ?? []) {
      const fnNeeds = needs.get(fn);
      if (nodes.get(fn)?.kind !== 'func' || !fnNeeds?.has(key)) continue;
      if (!nodes.has(shell)) {
        add(shell, 'shell', t.schema, t.name);
        needs.set(shell, new Set([`schema:${t.nsp}`]));
      }
      fnNeeds.delete(key);
      fnNeeds.add(shell);
    }
  }
}

/**
 * Everything the given roots need, transitively. `extra(key)` names objects that come along with
 * an included one without being needed by it (a table's owned sequences and, for the selected
 * tables, their partitions).
 */
export function closure(
  graph: Graph,
  roots: Iterable<string>,
  extra: (key: string) => Iterable<string>,
): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const key = stack.pop() as string;
    if (seen.has(key) || !graph.nodes.has(key)) continue;
    seen.add(key);
    for (const next of graph.needs.get(key) ?? []) stack.push(next);
    for (const next of extra(key)) stack.push(next);
  }
  return seen;
}

/**
 * Orders the included nodes so that each comes after what it needs; among the free ones by kind
 * (schemas, extensions, collations, types, functions, sequences, tables, views), then name. A
 * cycle (rare: e.g. a function returning a table's row type used in that table's default) is
 * broken at its first node in that order, which is what pg_dump's fixed order amounts to too.
 */
export function dependencyOrder(graph: Graph, included: Set<string>): GraphNode[] {
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const key of included) {
    let count = 0;
    for (const dep of graph.needs.get(key) ?? []) {
      if (!included.has(dep)) continue;
      count++;
      const list = dependents.get(dep) ?? [];
      list.push(key);
      dependents.set(dep, list);
    }
    waiting.set(key, count);
  }
  const node = (key: string) => graph.nodes.get(key) as GraphNode;
  const heap = new MinHeap<GraphNode>((a, b) => a.order < b.order);
  for (const [key, count] of waiting) if (count === 0) heap.push(node(key));
  const out: GraphNode[] = [];
  const done = new Set<string>();
  const release = (key: string) => {
    for (const dependent of dependents.get(key) ?? []) {
      if (done.has(dependent)) continue;
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      if (left === 0) heap.push(node(dependent));
    }
  };
  while (out.length < included.size) {
    let next = heap.pop();
    while (next && done.has(next.key)) next = heap.pop();
    if (!next) {
      // Cycle: take the first waiting node in the preferred order.
      const rest = [...included].filter((k) => !done.has(k)).map(node);
      rest.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
      next = rest[0] as GraphNode;
    }
    done.add(next.key);
    out.push(next);
    release(next.key);
  }
  return out;
}
