import { describe, expect, it } from 'vitest';
import { fullRowMatch, insertColumns, keyChanged, requireIdentity, setColumns } from '../src/change-rows.js';
import { newRow, type Row, type Value } from '../src/model.js';
import { table } from './fixtures/target-table.js';

function row(values: Record<string, Value>): Row {
  return Object.assign(newRow(), values);
}

const relation = { schema: 'public', name: 't' };
const t = table(['id', 'a', 'b', 'g'], ['g']);

describe('change rows', () => {
  it('gives an insert its defined, writable columns', () => {
    expect(insertColumns(t, row({ id: '1', a: null, b: undefined, g: '5' }))).toEqual(['id', 'a']);
  });

  it('sees a key change only in an update whose new key value differs', () => {
    const update = (old: Row | undefined, next: Row) => ({
      kind: 'update' as const,
      relation,
      old,
      new: next,
    });
    expect(keyChanged(update(row({ id: '1' }), row({ id: '2', a: 'x' })), ['id'])).toBe(true);
    expect(keyChanged(update(row({ id: '1' }), row({ id: '1', a: 'x' })), ['id'])).toBe(false);
    expect(keyChanged(update(undefined, row({ id: '2' })), ['id'])).toBe(false);
    expect(keyChanged(update(row({ id: '1' }), row({ id: undefined })), ['id'])).toBe(false);
    expect(keyChanged({ kind: 'delete', relation, old: row({ id: '1' }) }, ['id'])).toBe(false);
  });

  it('sets received writable columns, keys only when they change', () => {
    const next = row({ id: '1', a: 'x', b: undefined, g: '9' });
    expect(setColumns(t, next, ['id'], false)).toEqual(['a']);
    expect(setColumns(t, next, ['id'], true)).toEqual(['id', 'a']);
  });

  it('matches a REPLICA IDENTITY FULL row on every writable column, a left-out one as NULL', () => {
    const old = row({ id: '1', a: 'x', g: '3' });
    expect(fullRowMatch(t, { kind: 'delete', relation, old })).toEqual([
      ['id', '1'],
      ['a', 'x'],
      ['b', null],
    ]);
    expect(() => fullRowMatch(t, { kind: 'update', relation, new: old })).toThrow(/without its old row/);
  });

  it('refuses an update or delete of a table without a replica identity', () => {
    const del = { kind: 'delete' as const, relation, old: row({ id: '1' }) };
    expect(() => requireIdentity(t, del, undefined)).toThrow(
      expect.objectContaining({ code: 'PGSHIFT_REPL_NO_IDENTITY' }),
    );
    expect(() => requireIdentity(t, del, { replicaIdentity: 'nothing', keyColumns: [] })).toThrow(
      /no replica identity/,
    );
    expect(() => requireIdentity(t, del, { replicaIdentity: 'default', keyColumns: [] })).toThrow(
      /DELETE cannot/,
    );
    const full = { replicaIdentity: 'full' as const, keyColumns: [] };
    expect(requireIdentity(t, del, full)).toBe(full);
  });
});
