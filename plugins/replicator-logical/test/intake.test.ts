import { describe, expect, it } from 'vitest';
import type { Decoder } from '../src/decoders/decoder.js';
import { intakeHandlers } from '../src/intake.js';
import { LagTracker } from '../src/lag-tracker.js';
import { LoopSignal } from '../src/loop-signal.js';
import type { Change } from '../src/model.js';
import { ReceiveQueue } from '../src/receive-queue.js';

/** A decoder whose messages are JSON arrays of changes ("fail" throws). */
const decoder: Decoder = {
  format: 'test_decoding',
  startOptions: () => [],
  decode(payload) {
    const text = payload.toString();
    if (text === 'fail') throw new Error('cannot decode');
    return JSON.parse(text) as Change[];
  },
};

function setUp() {
  const tracker = new LagTracker();
  const queue = new ReceiveQueue({ maxMessages: 100, maxBytes: 1e6 }, { pause() {}, resume() {} });
  const log: string[] = [];
  const failures: unknown[] = [];
  const handlers = intakeHandlers({
    decoder,
    queue,
    tracker,
    answer: () => log.push('answer'),
    wake: () => log.push('wake'),
    fail: (error) => failures.push(error),
  });
  return { tracker, queue, log, failures, handlers };
}

const message = (changes: Change[]) => Buffer.from(JSON.stringify(changes));

describe('intake (decode stage)', () => {
  it('decodes each message into the queue, in order with keepalives, and wakes the loop', () => {
    const { tracker, queue, log, handlers } = setUp();
    handlers.data(message([{ kind: 'begin' }]), () => '0/1');
    expect(tracker.source).toBe(0n);
    handlers.data(message([{ kind: 'commit', endLsn: '0/20' }]), () => '0/2');
    expect(tracker.source).toBe(0x20n);
    handlers.keepalive('0/30', false);
    handlers.keepalive('0/40', true);
    expect(log).toEqual(['wake', 'wake', 'wake', 'answer', 'wake']);
    expect(queue.shift()).toMatchObject({ type: 'data', messages: 2 });
    expect(queue.shift()).toEqual({ type: 'keepalive', lsn: 0x30n });
    expect(queue.shift()).toEqual({ type: 'keepalive', lsn: 0x40n });
  });

  it('turns a decoding error, a stream error and an unasked end into failures', () => {
    const { failures, handlers, queue } = setUp();
    handlers.data(Buffer.from('fail'), () => '0/1');
    handlers.error(new Error('socket closed'));
    handlers.ended();
    expect(queue.length).toBe(0);
    expect(failures).toEqual([
      expect.objectContaining({ message: 'cannot decode' }),
      expect.objectContaining({
        code: 'PGSHIFT_REPL_STREAM',
        message: expect.stringContaining('socket closed'),
      }),
      expect.objectContaining({ code: 'PGSHIFT_REPL_STREAM', message: expect.stringContaining('ended') }),
    ]);
  });
});

describe('loop signal', () => {
  it('wakes a sleep at once on a kick, remembers a kick given while busy, and throws the first failure', async () => {
    const signal = new LoopSignal();
    const start = Date.now();
    const sleeping = signal.sleep(10_000);
    signal.kick();
    await sleeping;
    await signal.sleep(10_000); // kicked while busy: returns at once
    expect(Date.now() - start).toBeLessThan(5_000);
    signal.turn();
    signal.fail('boom');
    signal.fail(new Error('second'));
    expect(() => signal.turn()).toThrow(expect.objectContaining({ code: 'PGSHIFT_REPL_STREAM' }));
  });
});
