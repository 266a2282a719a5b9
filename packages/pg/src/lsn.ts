/**
 * LSNs are 64-bit positions written `XXXXXXXX/XXXXXXXX`, padded or not depending on who prints them.
 * They are compared and subtracted as BigInt, never as strings or JS numbers.
 */
const PLAIN_LSN = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;

export function lsnToBigInt(lsn: string): bigint {
  // Hot path (once per streamed transaction): below 2^53 the value is exact as a JS number.
  if (PLAIN_LSN.test(lsn)) {
    const slash = lsn.indexOf('/');
    const high = Number.parseInt(lsn.slice(0, slash), 16);
    const low = Number.parseInt(lsn.slice(slash + 1), 16);
    if (high < 0x200000) return BigInt(high * 0x1_0000_0000 + low);
    return (BigInt(high) << 32n) | BigInt(low);
  }
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn.trim());
  if (!match) throw new Error(`not an LSN: ${JSON.stringify(lsn)}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function bigIntToLsn(value: bigint): string {
  const high = (value >> 32n) & 0xffffffffn;
  const low = value & 0xffffffffn;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

export function compareLsn(a: string, b: string): -1 | 0 | 1 {
  const x = lsnToBigInt(a);
  const y = lsnToBigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function lsnDiff(later: string, earlier: string): bigint {
  const diff = lsnToBigInt(later) - lsnToBigInt(earlier);
  return diff > 0n ? diff : 0n;
}

export function maxLsn(a: string, b: string): string {
  return compareLsn(a, b) >= 0 ? a : b;
}

export const ZERO_LSN = '0/0';
