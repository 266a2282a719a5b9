import { describe, expect, it } from 'vitest';
import type { Change } from '../src/model.js';
import { type DataItem, ReceiveQueue } from '../src/receive-queue.js';

const begin: Change = { kind: 'begin' };

function flow() {
  const calls: string[] = [];
  return { calls, pause: () => calls.push('pause'), resume: () => calls.push('resume') };
}

describe('receive queue', () => {
  it('keeps arrival order, sharing an item between consecutive messages up to 256 changes', () => {
    const queue = new ReceiveQueue({ maxMessages: 10_000, maxBytes: 1e9 }, flow());
    for (let i = 0; i < 300; i++) queue.pushChanges([begin], 10);
    queue.pushKeepalive(5n);
    queue.pushChanges([begin], 10);
    const first = queue.shift() as DataItem;
    expect(first).toMatchObject({ type: 'data', messages: 256, bytes: 2560 });
    expect(first.changes).toHaveLength(256);
    expect(queue.shift()).toMatchObject({ type: 'data', messages: 44 });
    expect(queue.shift()).toEqual({ type: 'keepalive', lsn: 5n });
    expect(queue.shift()).toMatchObject({ type: 'data', messages: 1 });
    expect(queue.length).toBe(0);
  });

  it('pauses reading at a limit and resumes once a quarter of both is left', () => {
    const control = flow();
    const queue = new ReceiveQueue({ maxMessages: 8, maxBytes: 1000 }, control);
    const items: DataItem[] = [];
    for (let i = 0; i < 8; i++) {
      queue.pushChanges([begin, begin, begin, begin, begin, begin, begin, begin, begin, begin], 10);
      // A keepalive between them keeps each message its own item.
      queue.pushKeepalive(BigInt(i));
    }
    expect(control.calls).toEqual(['pause']);
    for (let item = queue.shift(); item; item = queue.shift()) if (item.type === 'data') items.push(item);
    for (const item of items.slice(0, 5)) queue.release(item);
    expect(control.calls).toEqual(['pause']);
    queue.release(items[5] as DataItem);
    expect(control.calls).toEqual(['pause', 'resume']);
    queue.release(items[6] as DataItem);
    expect(control.calls).toEqual(['pause', 'resume']);
  });

  it('pauses on bytes as well as on messages', () => {
    const control = flow();
    const queue = new ReceiveQueue({ maxMessages: 1000, maxBytes: 100 }, control);
    queue.pushChanges([begin], 99);
    expect(control.calls).toEqual([]);
    queue.pushChanges([begin], 1);
    expect(control.calls).toEqual(['pause']);
  });
});
