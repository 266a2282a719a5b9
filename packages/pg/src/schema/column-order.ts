import type { CatalogIndex } from './catalog-index.js';
import type { ColumnRow, RelationRow } from './catalog-rows.js';

/*
 * A child's columns in `CREATE TABLE ... INHERITS` come in a fixed order: the first parent's, then
 * each next parent's not seen yet, then the child's own; `PARTITION OF` takes the parent's order
 * alone. A source table can hold another order (a column added to the parent later lands at the
 * end of every child; a table created on its own, then attached, keeps its own), and
 * `row(t.*)`, `SELECT *` and `INSERT` without a column list see that order.
 */

/** The column names the standard INHERITS or PARTITION OF form would give `r`, in order. */
export function standardColumnOrder(r: RelationRow, index: CatalogIndex): string[] {
  const parents = r.parents ?? [];
  const names = (oid: string) => (index.columns.get(oid) ?? []).map((c) => c.name);
  if (r.isPartition && parents[0]) return names(parents[0].oid);
  const order: string[] = [];
  const seen = new Set<string>();
  for (const name of [...parents.flatMap((p) => names(p.oid)), ...names(r.oid)])
    if (!seen.has(name)) {
      seen.add(name);
      order.push(name);
    }
  return order;
}

/** Whether the standard form gives `r` its source column order. */
export function standardFormKeepsOrder(r: RelationRow, index: CatalogIndex): boolean {
  const own = (index.columns.get(r.oid) ?? []).map((c) => c.name);
  const standard = standardColumnOrder(r, index);
  return own.length === standard.length && own.every((name, i) => name === standard[i]);
}

/**
 * Whether two parents of `r` give one column different storage or compression, which a CREATE
 * ... INHERITS of both refuses from 16 on (an attach takes no parent's, so it does not mind).
 */
export function parentsDisagree(r: RelationRow, index: CatalogIndex): boolean {
  const seen = new Map<string, ColumnRow>();
  for (const p of r.parents ?? [])
    for (const c of index.columns.get(p.oid) ?? []) {
      const first = seen.get(c.name);
      if (!first) seen.set(c.name, c);
      else if (first.storage !== c.storage || first.compression !== c.compression) return true;
    }
  return false;
}

/**
 * The parent column the standard form copies `c` from (its storage and compression come with
 * it): the first parent that has a column of that name.
 */
export function parentColumn(r: RelationRow, index: CatalogIndex, c: ColumnRow): ColumnRow | undefined {
  for (const p of r.parents ?? []) {
    const found = (index.columns.get(p.oid) ?? []).find((pc) => pc.name === c.name);
    if (found) return found;
  }
  return undefined;
}
