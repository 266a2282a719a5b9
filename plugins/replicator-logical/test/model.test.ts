import { describe, expect, it } from 'vitest';
import { newRow } from '../src/model.js';

/** Column names that are members of ordinary objects (typed as strings: TypeScript knows them). */
const PROTO: string = '__proto__';
const CONSTRUCTOR: string = 'constructor';

describe('rows', () => {
  it('inherit nothing, so any column name is a plain key', () => {
    const row = newRow();
    expect(row[CONSTRUCTOR]).toBeUndefined();
    expect(row.toString).toBeUndefined();
    expect(Object.getPrototypeOf(Object.getPrototypeOf(row))).toBeNull();
    row[PROTO] = 'a column';
    row[CONSTRUCTOR] = null;
    expect(Object.keys(row)).toEqual([PROTO, CONSTRUCTOR]);
    expect(row[PROTO]).toBe('a column');
    const keys: string[] = [];
    for (const key in row) keys.push(key);
    expect(keys).toEqual([PROTO, CONSTRUCTOR]);
  });
});
