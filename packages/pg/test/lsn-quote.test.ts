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
  it('rejects what is not an LSN', () => {
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
