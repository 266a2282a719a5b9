import { describe, expect, it } from 'vitest';
import { parseTxidSnapshot, snapshotSees, widenXid } from '../src/index.js';

describe('txid snapshots', () => {
  it('sees what committed before it: below xmin, or below xmax and not in progress', () => {
    const snapshot = parseTxidSnapshot('100:105:101,103');
    expect([99, 100, 101, 102, 103, 104, 105, 106].map((x) => snapshotSees(snapshot, x))).toEqual([
      true,
      true,
      false,
      true,
      false,
      true,
      false,
      false,
    ]);
    expect(parseTxidSnapshot('7:7:').inProgress.size).toBe(0);
  });

  it('places a 32-bit xid in the epoch of the snapshot, across a wraparound', () => {
    const epoch = 1n << 32n;
    // Snapshot in epoch 3 just after the wrap; xid 4294967290 belongs to epoch 2.
    expect(widenXid(4294967290, 3n * epoch + 10n)).toBe(2n * epoch + 4294967290n);
    expect(widenXid(20, 3n * epoch + 10n)).toBe(3n * epoch + 20n);
    // Snapshot just before the wrap; xid 5 belongs to the next epoch.
    expect(widenXid(5, 2n * epoch + 4294967290n)).toBe(3n * epoch + 5n);
    const snapshot = parseTxidSnapshot(`${3n * epoch + 10n}:${3n * epoch + 12n}:`);
    expect(snapshotSees(snapshot, 4294967290)).toBe(true);
    expect(snapshotSees(snapshot, 11)).toBe(true);
    expect(snapshotSees(snapshot, 12)).toBe(false);
  });

  it('rejects text that is not a snapshot', () => {
    expect(() => parseTxidSnapshot('1:2')).toThrow(/not a txid snapshot/);
  });
});
