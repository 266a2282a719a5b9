import { parseTxidSnapshot } from '@pgshift/pg';
import { describe, expect, it } from 'vitest';
import { GroupBuilder } from '../src/group-builder.js';
import { LagTracker } from '../src/lag-tracker.js';

const LIMITS = { groupMaxChanges: 3, groupMaxMs: 60_000 };

describe('group builder', () => {
  it('gathers whole transactions into a group whose last commit becomes the position', () => {
    const groups = new GroupBuilder(LIMITS, new LagTracker(), { position: 0x100n, copied: undefined });
    groups.begin({ kind: 'begin', commitLsn: '0/200' }, 0x100n);
    expect(groups.applying).toBe(true);
    groups.countChange();
    expect(groups.end({ kind: 'commit', commitLsn: '0/200', endLsn: '0/210' })).toBe(false);
    expect(groups.inTransaction).toBe(false);
    groups.begin({ kind: 'begin' }, 0x100n);
    expect(groups.take()).toEqual({
      last: { commitLsn: '0/200', endLsn: '0/210', commitTimeUs: undefined },
      transactions: 1,
    });
    expect(groups.take()).toBeUndefined();
  });

  it('says a group is to commit once it holds enough changes, at a source commit', () => {
    const groups = new GroupBuilder(LIMITS, new LagTracker(), { position: 0n, copied: undefined });
    groups.begin({ kind: 'begin' }, 0n);
    for (let i = 0; i < 3; i++) groups.countChange();
    expect(groups.end({ kind: 'commit', endLsn: '0/10' })).toBe(true);
  });

  it('skips what committed before the durable position and what the copy saw', () => {
    const groups = new GroupBuilder(LIMITS, new LagTracker(), {
      position: 0x100n,
      copied: parseTxidSnapshot('100:105:102'),
    });
    groups.begin({ kind: 'begin', commitLsn: '0/80', xid: 200 }, 0x100n);
    expect(groups.applying).toBe(false);
    expect(groups.wantsRow()).toBe(false);
    expect(groups.end({ kind: 'commit', endLsn: '0/90' })).toBe(false);
    groups.begin({ kind: 'begin', xid: 101 }, 0x100n);
    expect(groups.applying).toBe(false);
    groups.end({ kind: 'commit', endLsn: '0/300' });
    groups.begin({ kind: 'begin', xid: 102 }, 0x100n);
    expect(groups.applying).toBe(true);
    groups.end({ kind: 'commit', endLsn: '0/400' });
    expect(groups.take()?.last.endLsn).toBe('0/400');
  });

  it('refuses a transaction ending where an applied one did, and changes outside transactions', () => {
    const groups = new GroupBuilder(LIMITS, new LagTracker(), { position: 0x100n, copied: undefined });
    expect(() => groups.wantsRow()).toThrow(/outside a transaction/);
    expect(() => groups.end({ kind: 'commit', endLsn: '0/200' })).toThrow(/outside a transaction/);
    groups.begin({ kind: 'begin' }, 0x100n);
    expect(() => groups.begin({ kind: 'begin' }, 0x100n)).toThrow(/inside another/);
    expect(() => groups.end({ kind: 'commit', endLsn: '0/100' })).toThrow(
      expect.objectContaining({ code: 'PGSHIFT_REPL_DUPLICATE' }),
    );
  });

  it('needs xids to skip what the copy holds', () => {
    const groups = new GroupBuilder(LIMITS, new LagTracker(), {
      position: 0n,
      copied: parseTxidSnapshot('100:105:'),
    });
    expect(() => groups.begin({ kind: 'begin' }, 0n)).toThrow(/without its xid/);
  });
});
