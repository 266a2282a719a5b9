import type { TargetTable } from './target-catalog.js';

/**
 * Whether changes to rows with different keys of this table may be applied in any order within
 * one target transaction, so a group can fold them per key and send them as a few batched
 * statements. They may when no unique index or constraint could see two different rows collide
 * on the way: every unique index must contain all key columns (rows with different keys can then
 * never clash on it, whatever else it holds), and there must be no exclusion constraint.
 *
 * Foreign keys and triggers are the caller's concern: reordering across rows is only done in
 * replica role (no foreign-key checks) and without triggers that fire in it.
 */
export function keyedChangesCommute(table: TargetTable, keyColumns: readonly string[]): boolean {
  if (keyColumns.length === 0) return false;
  return table.uniqueKeys.every(
    (unique) => !unique.exclusion && keyColumns.every((key) => unique.columns.includes(key)),
  );
}
