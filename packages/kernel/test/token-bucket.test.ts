import { describe, expect, it } from 'vitest';
import { BURST_SECONDS, type Clock, TokenBucket } from '../src/throttle/token-bucket.js';

/** A clock that moves only when told to, running the timers that fall due. */
class ManualClock implements Clock {
  #now = 0;
  #timers = new Map<number, { at: number; run: () => void }>();
  #next = 1;

  now(): number {
    return this.#now;
  }
  setTimeout(run: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + ms, run });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, running each due timer at its own time. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      const due = [...this.#timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = due[1].at;
      due[1].run();
      await Promise.resolve(); // let resolved waiters run
    }
    this.#now = end;
    await Promise.resolve();
  }
}

const MB = 1_000_000;

/** Takes `bytes` in pieces of `piece` as fast as the bucket lets, for `ms` of clock time. */
async function pump(bucket: TokenBucket, clock: ManualClock, ms: number, piece: number): Promise<number> {
  let taken = 0;
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const wait = bucket.take(0, piece);
      if (wait) await wait;
      if (stop) break;
      taken += piece;
    }
  })();
  await clock.advance(ms);
  stop = true;
  bucket.close();
  await loop;
  return taken;
}

describe('TokenBucket', () => {
  it('unlimited, take returns nothing to wait for and sets no timer', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(undefined, clock);
    for (let i = 0; i < 1000; i++) expect(bucket.take(1000, 10 * MB)).toBeUndefined();
    expect(bucket.limited).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('holds bytes to the rate over time, with no burst at the start', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ megabytesPerSecond: 20 }, clock);
    const taken = await pump(bucket, clock, 60_000, 65_536);
    const expected = 20 * MB * 60;
    // Within one piece of the exact figure: the bucket neither lends nor loses.
    expect(Math.abs(taken - expected)).toBeLessThanOrEqual(2 * 65_536);
  });

  it('holds rows to their rate, the stricter of rows and bytes deciding', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ rowsPerSecond: 100, megabytesPerSecond: 1000 }, clock);
    let rows = 0;
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        const wait = bucket.take(10, 100);
        if (wait) await wait;
        if (!stop) rows += 10;
      }
    })();
    await clock.advance(10_000);
    stop = true;
    bucket.close();
    await loop;
    expect(rows).toBeGreaterThanOrEqual(990);
    expect(rows).toBeLessThanOrEqual(1010);
  });

  it('lets a request larger than a full bucket through once full, then charges its debt', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ megabytesPerSecond: 1 }, clock);
    await clock.advance(BURST_SECONDS * 1000);
    expect(bucket.take(0, 10 * MB)).toBeUndefined(); // full bucket: goes, 10 s in debt
    let done = false;
    void bucket.take(0, 1)?.then(() => {
      done = true;
    });
    await clock.advance(9_000);
    expect(done).toBe(false);
    await clock.advance(1_500);
    expect(done).toBe(true);
  });

  it('serves waiters in the order they came', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ rowsPerSecond: 10 }, clock);
    await clock.advance(BURST_SECONDS * 1000);
    bucket.take(10, 0); // empties the bucket and more
    const order: number[] = [];
    for (const i of [1, 2, 3]) void bucket.take(5, 0)?.then(() => order.push(i));
    expect(bucket.waiting).toBe(3);
    await clock.advance(5_000);
    expect(order).toEqual([1, 2, 3]);
  });

  it('a new limit applies at once, to waiters too; lifting it lets every waiter go', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ megabytesPerSecond: 1 }, clock);
    await clock.advance(1000);
    bucket.take(0, 1 * MB);
    let went = false;
    void bucket.take(0, 1 * MB)?.then(() => {
      went = true;
    });
    // At 1 MB/s the waiter needs ~0.25 s more than the burst; at 0.1 MB/s ten times that.
    bucket.setLimit({ megabytesPerSecond: 0.1 });
    await clock.advance(1_000);
    expect(went).toBe(false);
    expect(bucket.limit).toEqual({ megabytesPerSecond: 0.1 });
    bucket.setLimit(undefined);
    await clock.advance(0);
    expect(went).toBe(true);
    expect(bucket.limited).toBe(false);
    expect(bucket.take(0, 100 * MB)).toBeUndefined();
  });

  it('a rate raised while running is reached', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ megabytesPerSecond: 5 }, clock);
    let taken = 0;
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        const wait = bucket.take(0, 50_000);
        if (wait) await wait;
        if (!stop) taken += 50_000;
      }
    })();
    await clock.advance(10_000);
    const slow = taken;
    bucket.setLimit({ megabytesPerSecond: 50 });
    await clock.advance(10_000);
    stop = true;
    bucket.close();
    await loop;
    expect(slow).toBeLessThanOrEqual(5 * MB * 10 + 50_000);
    expect(taken - slow).toBeGreaterThanOrEqual(50 * MB * 10 - 2 * 50_000);
    expect(taken - slow).toBeLessThanOrEqual(50 * MB * 10 + 50 * MB * BURST_SECONDS + 50_000);
  });
});
