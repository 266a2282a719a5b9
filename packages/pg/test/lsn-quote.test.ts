import { describe, expect, it } from 'vitest';
import { bigIntToLsn, compareLsn, lsnDiff, lsnToBigInt, quoteIdent, quoteLiteral } from '../src/index.js';

describe('lsn', () => {
  it('compares padded and unpadded forms as numbers, not strings', () => {
    expect(compareLsn('0/9', '0/10')).toBe(-1);
    expect(compareLsn('00000001/0000000A', '1/A')).toBe(0);
    expect(compareLsn('1/0', '0/FFFFFFFF')).toBe(1);
    expect(lsnDiff('1/0', '0/FFFFFFFF')).toBe(1n);
    expect(bigIntToLsn(lsnToBigInt('0000000A/0000FF00'))).toBe('A/FF00');
  });
  it('is exact on both sides of 2^53, and accepts surrounding blanks', () => {
    expect(lsnToBigInt('1FFFFF/FFFFFFFF')).toBe(2n ** 53n - 1n);
    expect(lsnToBigInt('200000/00000001')).toBe(2n ** 53n + 1n);
    expect(lsnToBigInt('FFFFFFFF/FFFFFFFF')).toBe(2n ** 64n - 1n);
    expect(lsnToBigInt(' 1/a ')).toBe(0x1_0000_000an);
  });
  it('rejects what is not an LSN', () => {
    expect(() => lsnToBigInt('1G/0')).toThrow(/not an LSN/);
    expect(() => lsnToBigInt('123456789/0')).toThrow(/not an LSN/);
    expect(() => lsnToBigInt('12')).toThrow(/not an LSN/);
  });
});

describe('quoting', () => {
  it('quotes every identifier and doubles quotes', () => {
    expect(quoteIdent('select')).toBe('"select"');
    expect(quoteIdent('We"ird Näme')).toBe('"We""ird Näme"');
  });
  it('quotes literals with backslashes in E form', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
  });
});
