/**
 * LSNs are 64-bit positions written `XXXXXXXX/XXXXXXXX`, padded or not depending on who prints them.
 * They are compared and subtracted as BigInt, never as strings or JS numbers.
 */
export function lsnToBigInt(lsn: string): bigint {
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
