import { describe, expect, it } from 'vitest';
import { TABLE_COPIES_KEPT, tableCopies } from '../src/index.js';

const progress = (table: string, rows: number, done: boolean, database = 'app') => ({
  type: 'table-progress' as const,
  database,
  table,
  rows,
  bytes: rows * 10,
  totalBytes: 1000,
  done,
});

describe('per-table copy progress kept on the task record', () => {
  it('lists tables being copied, then the latest finished, then those waiting, with their figures', () => {
    const tables = tableCopies();
    expect(tables.list()).toBeUndefined();
    for (const t of ['a', 'b', 'c', 'd']) tables.add(progress(t, 0, false));
    tables.add(progress('c', 40, false));
    tables.add(progress('a', 100, true));
    tables.add(progress('b', 100, true));
    tables.add(progress('a', 100, true));
    expect(tables.list()).toEqual([
      { database: 'app', table: 'c', rows: 40, bytes: 400, totalBytes: 1000, done: false },
      { database: 'app', table: 'b', rows: 100, bytes: 1000, totalBytes: 1000, done: true },
      { database: 'app', table: 'a', rows: 100, bytes: 1000, totalBytes: 1000, done: true },
      { database: 'app', table: 'd', rows: 0, bytes: 0, totalBytes: 1000, done: false },
    ]);
  });

  it('keeps at most TABLE_COPIES_KEPT, the ones being copied first', () => {
    const tables = tableCopies();
    for (let i = 0; i < 500; i++) tables.add(progress(`done${i}`, 1, true));
    tables.add(progress('busy', 5, false, 'crm'));
    const list = tables.list() ?? [];
    expect(list).toHaveLength(TABLE_COPIES_KEPT);
    expect(list[0]?.table).toBe('busy');
    expect(list[1]?.table).toBe('done499');
  });
});
