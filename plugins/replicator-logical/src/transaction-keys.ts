import type { ForeignKeys } from './foreign-keys.js';
import {
  type DeleteChange,
  type InsertChange,
  type RelationIdentity,
  type RelationRef,
  type Row,
  relationKey,
  type UpdateChange,
} from './model.js';
import { keyedChangesCommute } from './reorder-safety.js';
import type { TargetTable } from './target-catalog.js';

/**
 * What a row change touches, for parallel apply: two transactions conflict when one writes
 * (exclusive) a key the other reads or writes. A key is a table's columns and their values:
 * the row's replica identity, and for foreign keys the parent's referenced columns, which the
 * parent's row writes and a referencing child row reads. `*` keys stand for a whole table where
 * the rows cannot be told apart.
 */
export interface Access {
  key: string;
  exclusive: boolean;
}

/** A change whose dependencies cannot be known: its transaction is applied alone, in order. */
export const SERIAL = 'serial';

const NULL = '\u0001';

function valuesKey(relation: RelationRef, columns: readonly string[], row: Row): string | undefined {
  let key = `${relationKey(relation)}\u0000${columns.join('\u0002')}`;
  for (const column of columns) {
    const value = row[column];
    if (value === undefined) return undefined;
    key += `\u0000${value === null ? NULL : value}`;
  }
  return key;
}

function hasNull(row: Row, columns: readonly string[]): boolean {
  return columns.some((c) => row[c] === null);
}

/** The whole table: taken by a change whose row cannot be named by its key. */
function tableKey(relation: RelationRef): string {
  return `${relationKey(relation)}\u0000*`;
}

/** Any referenced row of a parent: a child row whose old reference is unknown reads it. */
function anyParentKey(relation: RelationRef): string {
  return `${relationKey(relation)}\u0000fk*`;
}

type RowChange = InsertChange | UpdateChange | DeleteChange;

function ownKeys(
  change: RowChange,
  identity: RelationIdentity | undefined,
  table: TargetTable,
  out: Access[],
): typeof SERIAL | undefined {
  const keys = identity?.keyColumns ?? [];
  const keyed =
    identity !== undefined &&
    identity.replicaIdentity !== 'full' &&
    identity.replicaIdentity !== 'nothing' &&
    keyedChangesCommute(table, keys);
  if (!keyed) {
    // Inserts into a table without a usable key commute with each other (a set of rows); an
    // update or delete matches rows by value, so it is ordered with every change of the table.
    out.push({ key: tableKey(change.relation), exclusive: change.kind !== 'insert' });
    return undefined;
  }
  const rows =
    change.kind === 'insert' ? [change.new] : change.kind === 'delete' ? [change.old] : [change.new];
  if (change.kind === 'update' && change.old) rows.push(change.old);
  for (const row of rows) {
    const key = valuesKey(change.relation, keys, row);
    if (key === undefined) return SERIAL;
    out.push({ key, exclusive: true });
  }
  return undefined;
}

/** A child row reads the parent key it references (new values), or any parent row when unknown. */
function childKeys(change: RowChange, fks: ForeignKeys, out: Access[]): typeof SERIAL | undefined {
  for (const fk of fks.ofChild.get(relationKey(change.relation)) ?? []) {
    if (fk.partitioned) return SERIAL;
    if (change.kind !== 'delete') {
      const row = change.new;
      if (!hasNull(row, fk.childColumns)) {
        const values: Row = {};
        fk.childColumns.forEach((c, i) => {
          values[fk.parentColumns[i] as string] = row[c];
        });
        const key = valuesKey(fk.parent, fk.parentColumns, values);
        out.push({ key: key ?? anyParentKey(fk.parent), exclusive: false });
      }
    }
    // What it referenced before is not in the stream (an update's old row is sent only when its
    // key changed, a delete's holds the key): ordered against deletes of any parent row.
    if (change.kind !== 'insert') out.push({ key: anyParentKey(fk.parent), exclusive: false });
  }
  return undefined;
}

/** A parent row writes its referenced key (old and new), and every parent row when it may go. */
function parentKeys(
  change: RowChange,
  identity: RelationIdentity | undefined,
  fks: ForeignKeys,
  out: Access[],
): typeof SERIAL | undefined {
  for (const fk of fks.ofParent.get(relationKey(change.relation)) ?? []) {
    if (fk.partitioned) return SERIAL;
    const rows =
      change.kind === 'insert' ? [change.new] : change.kind === 'delete' ? [change.old] : [change.new];
    if (change.kind === 'update' && change.old) rows.push(change.old);
    for (const row of rows) {
      const key = valuesKey(fk.parent, fk.parentColumns, row);
      if (key !== undefined) out.push({ key, exclusive: true });
    }
    // A delete, or an update that may change the referenced columns, can leave a child behind.
    // An update without an old row kept its key: referenced key columns did not change.
    const keyColumns = identity?.keyColumns ?? [];
    const keepsReferenced =
      change.kind === 'update' && !change.old && fk.parentColumns.every((c) => keyColumns.includes(c));
    if (change.kind !== 'insert' && !keepsReferenced)
      out.push({ key: anyParentKey(fk.parent), exclusive: true });
  }
  return undefined;
}

/** The keys a row change reads and writes, or SERIAL when they cannot be known. */
export function changeAccesses(
  change: RowChange,
  identity: RelationIdentity | undefined,
  table: TargetTable,
  fks: ForeignKeys,
): Access[] | typeof SERIAL {
  const out: Access[] = [];
  if (ownKeys(change, identity, table, out) === SERIAL) return SERIAL;
  if (childKeys(change, fks, out) === SERIAL) return SERIAL;
  if (parentKeys(change, identity, fks, out) === SERIAL) return SERIAL;
  return out;
}
