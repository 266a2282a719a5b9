import { describe, expect, it } from 'vitest';
import { FoldedTableChanges } from '../src/folded-changes.js';
import { HeldFolds } from '../src/held-folds.js';
import { newRow } from '../src/model.js';
import { table } from './fixtures/target-table.js';

const relation = { schema: 'public', name: 't' };
const insert = (id: string) => ({
  kind: 'insert' as const,
  relation,
  new: Object.assign(newRow(), { id, a: 'x' }),
  bytes: 10,
});

describe('held folds', () => {
  it('holds one fold per table definition and key, and counts rows over all of them up to a limit', () => {
    const t = table(['id', 'a']);
    const folds = new HeldFolds(3, 1_000_000);
    const folded = new FoldedTableChanges(t, ['id']);
    expect(folds.matching(t, ['id'])).toBeUndefined();
    folds.hold(folded);
    expect(folds.matching(t, ['id'])).toBe(folded);
    expect(folds.matching(t, ['a'])).toBeUndefined();
    expect(folds.matching(table(['id', 'a']), ['id'])).toBeUndefined();
    expect(folds.add(folded, insert('1'))).toBe(true);
    expect(folds.add(folded, insert('1'))).toBe(false);
    expect(folds.add(folded, insert('2'))).toBe(true);
    expect(folds.full).toBe(false);
    expect(folds.add(folded, insert('3'))).toBe(true);
    expect(folds.full).toBe(true);
    expect(folds.release(folded)).toBe(true);
    expect(folds.release(folded)).toBe(false);
    expect(folds.full).toBe(false);
  });

  it('releases every fold in the order they were held, and the totals with them', () => {
    const folds = new HeldFolds(100, 25);
    const a = new FoldedTableChanges(table(['id', 'a'], [], 'public.a'), ['id']);
    const b = new FoldedTableChanges(table(['id', 'a'], [], 'public.b'), ['id']);
    folds.hold(b);
    folds.hold(a);
    folds.add(a, insert('1'));
    folds.add(b, insert('1'));
    folds.add(b, insert('2'));
    expect(folds.full).toBe(true);
    expect(folds.releaseAll()).toEqual([b, a]);
    expect(folds.full).toBe(false);
    expect(folds.heldFor(a.table)).toBeUndefined();
  });
});
