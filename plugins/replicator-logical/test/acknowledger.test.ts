import { describe, expect, it } from 'vitest';
import { Acknowledger } from '../src/acknowledger.js';
import { LagTracker } from '../src/lag-tracker.js';

function sink() {
  const sent: [bigint, boolean][] = [];
  return { sent, sendStatus: async (position: bigint, reply = false) => void sent.push([position, reply]) };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((y, n) => {
    resolve = y;
    reject = n;
  });
  return { promise, resolve, reject };
}

describe('acknowledger', () => {
  it('moves the position and tells the source only once a commit and every earlier one succeeded', async () => {
    const status = sink();
    const tracker = new LagTracker();
    const ack = new Acknowledger(status, tracker, 0x10n);
    const first = deferred();
    const second = deferred();
    ack.committing(first.promise, { endLsn: '0/20' }, 2);
    ack.committing(second.promise, { endLsn: '0/30' }, 1);
    second.resolve();
    await new Promise((r) => setTimeout(r, 5));
    expect(ack.position).toBe(0x10n);
    expect(status.sent).toEqual([]);
    first.resolve();
    await ack.settle();
    expect(ack.position).toBe(0x30n);
    expect(status.sent).toEqual([
      [0x20n, false],
      [0x30n, false],
    ]);
    expect(tracker.transactionsApplied).toBe(3);
  });

  it('keeps the position when a commit fails, and settle throws the failure', async () => {
    const status = sink();
    const ack = new Acknowledger(status, new LagTracker(), 0x10n);
    const failed = deferred();
    ack.committing(failed.promise, { endLsn: '0/20' }, 1);
    ack.committing(Promise.resolve(), { endLsn: '0/30' }, 1);
    failed.reject(new Error('commit failed'));
    await expect(ack.settle()).rejects.toThrow('commit failed');
    expect(ack.position).toBe(0x10n);
    expect(status.sent).toEqual([]);
  });

  it('reports the durable position, never what is in flight', async () => {
    const status = sink();
    const ack = new Acknowledger(status, new LagTracker(), 0x10n);
    ack.committing(new Promise(() => {}), { endLsn: '0/20' }, 1);
    await ack.report();
    await ack.report(true);
    expect(status.sent).toEqual([
      [0x10n, false],
      [0x10n, true],
    ]);
  });
});
