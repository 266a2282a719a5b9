import { CODES, ReplicationError } from './errors.js';
import type { DataChange, DeleteChange, RelationIdentity, Row, UpdateChange, Value } from './model.js';
import type { TargetTable } from './target-catalog.js';

/**
 * What a row change gives a statement: which columns, which values. Pure functions of the change
 * and the target's table, shared by the apply paths.
 */

const own = (row: Row, name: string) => Object.hasOwn(row, name);

/** A column the target accepts values for (not generated). */
export function writable(table: TargetTable, name: string): boolean {
  return table.columns.get(name)?.generated !== true;
}

/** The columns of an insert that the target may be given (defined values, not generated). */
export function insertColumns(table: TargetTable, row: Row): string[] {
  const columns: string[] = [];
  for (const name in row) {
    if (row[name] !== undefined && table.columns.get(name)?.generated !== true) columns.push(name);
  }
  return columns;
}

/** An update that gives a key column a new value. */
export function keyChanged(change: DataChange, keys: readonly string[]): boolean {
  if (change.kind !== 'update') return false;
  const old = change.old;
  return old !== undefined && keys.some((k) => change.new[k] !== undefined && change.new[k] !== old[k]);
}

/** The identity an UPDATE or DELETE is applied by; refuses a table that has none. */
export function requireIdentity(
  table: TargetTable,
  change: UpdateChange | DeleteChange,
  identity: RelationIdentity | undefined,
): RelationIdentity {
  if (
    !identity ||
    identity.replicaIdentity === 'nothing' ||
    (identity.replicaIdentity !== 'full' && identity.keyColumns.length === 0)
  )
    throw new ReplicationError(
      CODES.noIdentity,
      `${table.sql} has no replica identity, so its ${change.kind.toUpperCase()} cannot be applied`,
      {
        remedy:
          'give the source table a primary key or ALTER TABLE ... REPLICA IDENTITY FULL, then start the migration again',
      },
    );
  return identity;
}

/**
 * Under REPLICA IDENTITY FULL: the old row's value of every writable column. Columns the decoder
 * left out of the old row were NULL (test_decoding omits NULLs there).
 */
export function fullRowMatch(table: TargetTable, change: UpdateChange | DeleteChange): [string, Value][] {
  const old = change.old;
  if (!old)
    throw new ReplicationError(
      CODES.noIdentity,
      `an ${change.kind.toUpperCase()} on ${table.sql} (REPLICA IDENTITY FULL) came without its old row`,
    );
  const match: [string, Value][] = [];
  for (const column of table.columns.values()) {
    if (column.generated) continue;
    const value = own(old, column.name) ? old[column.name] : null;
    if (value !== undefined) match.push([column.name, value]);
  }
  return match;
}

/** Columns an update sets: received (not unchanged TOAST), writable, and key columns only if changed. */
export function setColumns(
  table: TargetTable,
  row: Row,
  keys: readonly string[],
  keyChange: boolean,
): string[] {
  return Object.keys(row).filter(
    (c) => row[c] !== undefined && writable(table, c) && (keyChange || !keys.includes(c)),
  );
}
