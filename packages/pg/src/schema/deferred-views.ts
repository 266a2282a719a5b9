import type { Catalog } from './catalog-contents.js';
import type { Graph } from './graph.js';

/**
 * Views (and materialized views) that need a table's constraint to exist: a view that selects a
 * column not in its GROUP BY relies on the primary key (functional dependency), and PostgreSQL
 * refuses to create it before the key. Keys are built after the data, so such views, and every
 * view built on them, are created in post-data instead of pre-data.
 */
export function viewsNeedingConstraints(catalog: Catalog, graph: Graph): Set<string> {
  const isView = (key: string) => {
    const kind = graph.nodes.get(key)?.kind;
    return kind === 'view' || kind === 'matview';
  };
  const deferred = new Set<string>();
  for (const d of catalog.dependencies) {
    if (d.refCls === 'pg_constraint' && d.objKey && isView(d.objKey) && d.objKey !== d.refKey)
      deferred.add(d.objKey);
  }
  // Views on deferred views are deferred too.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [key, needs] of graph.needs) {
      if (deferred.has(key) || !isView(key)) continue;
      if ([...needs].some((n) => deferred.has(n))) {
        deferred.add(key);
        grew = true;
      }
    }
  }
  return deferred;
}
