import { describe, expect, it } from 'vitest';
import { ConflictTracker } from '../src/conflict-tracker.js';
import type { ForeignKey, ForeignKeys } from '../src/foreign-keys.js';
import type { DeleteChange, InsertChange, RelationIdentity, Row, UpdateChange } from '../src/model.js';
import { newRow, relationKey } from '../src/model.js';
import type { TargetTable } from '../src/target-catalog.js';
import { type Access, changeAccesses, SERIAL } from '../src/transaction-keys.js';

const parent = { schema: 'public', name: 'accounts' };
const child = { schema: 'public', name: 'orders' };
const keyless = { schema: 'public', name: 'audit' };
const byId: RelationIdentity = { replicaIdentity: 'default', keyColumns: ['id'] };
const none: RelationIdentity = { replicaIdentity: 'full', keyColumns: [] };

function table(ref: { schema: string; name: string }, unique: string[][] = [['id']]): TargetTable {
  return {
    ref,
    sql: `${ref.schema}.${ref.name}`,
    partitioned: false,
    identityAlways: false,
    columns: new Map(),
    uniqueKeys: unique.map((columns) => ({ columns, exclusion: false })),
  };
}

const fk: ForeignKey = {
  child,
  childColumns: ['account_id'],
  parent,
  parentColumns: ['id'],
  partitioned: false,
};
const fks: ForeignKeys = {
  ofChild: new Map([[relationKey(child), [fk]]]),
  ofParent: new Map([[relationKey(parent), [fk]]]),
};

function row(values: Record<string, string | null>): Row {
  return Object.assign(newRow(), values);
}

function keys(change: InsertChange | UpdateChange | DeleteChange, identity = byId): Access[] {
  const ref = change.relation;
  const result = changeAccesses(change, identity, table(ref, ref === keyless ? [] : [['id']]), fks);
  if (result === SERIAL) throw new Error('serial');
  return result;
}

/** Places `first` in lane 0 (group 1, not committed) and asks which lanes `second` must follow. */
function lanesAfter(first: Access[], second: Access[]): number[] {
  const tracker = new ConflictTracker(() => 0);
  tracker.record(first, { lane: 0, group: 1 });
  return [...tracker.conflicts(second)];
}

describe('transaction keys and conflicts (parallel apply)', () => {
  const insertParent = keys({ kind: 'insert', relation: parent, new: row({ id: '5', balance: '0' }) });
  const deleteParent = keys({ kind: 'delete', relation: parent, old: row({ id: '5' }) });
  const insertChild = (id: string, account: string) =>
    keys({ kind: 'insert', relation: child, new: row({ id, account_id: account, amount: '1' }) });

  it('a child row follows the transaction that wrote the parent key it references', () => {
    expect(lanesAfter(insertParent, insertChild('1', '5'))).toEqual([0]);
    expect(lanesAfter(insertParent, insertChild('1', '6'))).toEqual([]);
  });

  it('a parent delete follows the transactions whose children referenced it, and child updates', () => {
    expect(lanesAfter(insertChild('1', '5'), deleteParent)).toEqual([0]);
    const updateChild = keys({
      kind: 'update',
      relation: child,
      new: row({ id: '1', account_id: '7', amount: '2' }),
    });
    // The child's old reference is not in the stream: it is ordered against any parent delete.
    expect(lanesAfter(updateChild, deleteParent)).toEqual([0]);
  });

  it('children of one parent do not conflict with each other; the same row does', () => {
    expect(lanesAfter(insertChild('1', '5'), insertChild('2', '5'))).toEqual([]);
    expect(lanesAfter(insertChild('1', '5'), insertChild('1', '9'))).toEqual([0]);
  });

  it('a table without a key: inserts commute, a delete follows them', () => {
    const insert = keys({ kind: 'insert', relation: keyless, new: row({ note: 'a' }) }, none);
    const remove = keys({ kind: 'delete', relation: keyless, old: row({ note: 'a' }) }, none);
    expect(lanesAfter(insert, insert)).toEqual([]);
    expect(lanesAfter(insert, remove)).toEqual([0]);
  });

  it('a committed placement constrains nothing', () => {
    const tracker = new ConflictTracker(() => 1);
    tracker.record(insertParent, { lane: 0, group: 1 });
    expect([...tracker.conflicts(insertChild('1', '5'))]).toEqual([]);
  });
});
