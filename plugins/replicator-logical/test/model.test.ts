import { describe, expect, it } from 'vitest';
import { newRow } from '../src/model.js';

describe('rows', () => {
  it('inherit nothing, so any column name is a plain key', () => {
    const row = newRow();
    expect(row.constructor).toBeUndefined();
    expect(row.toString).toBeUndefined();
    expect(Object.getPrototypeOf(Object.getPrototypeOf(row))).toBeNull();
    row.__proto__ = 'a column';
    row.constructor = null;
    expect(Object.keys(row)).toEqual(['__proto__', 'constructor']);
    expect(row.__proto__).toBe('a column');
    const keys: string[] = [];
    for (const key in row) keys.push(key);
    expect(keys).toEqual(['__proto__', 'constructor']);
  });
});
