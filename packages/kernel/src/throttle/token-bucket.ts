import type { RateLimit, Throttle } from '@pgshift/plugin-api';

/** Time and timers, injected so tests run the bucket without waiting. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A megabyte of a limit is 10^6 bytes, as pgshift prints sizes. */
const BYTES_PER_MEGABYTE = 1_000_000;

/**
 * How many seconds' worth a full bucket holds: the burst after a pause. Small, so that a rate
 * sampled every few seconds stays near the limit.
 */
export const BURST_SECONDS = 0.1;

/** One dimension (rows or bytes): a rate per second (0: unlimited) and the tokens it holds. */
interface Dimension {
  rate: number;
  tokens: number;
}

interface Waiter {
  rows: number;
  bytes: number;
  resolve: () => void;
}

function ratesOf(limit: RateLimit | undefined): [number, number] {
  return [limit?.rowsPerSecond ?? 0, (limit?.megabytesPerSecond ?? 0) * BYTES_PER_MEGABYTE];
}

/**
 * The token bucket behind Throttle: rows and bytes each refill at their rate up to BURST_SECONDS'
 * worth, starting empty. A request goes when every limited dimension holds what it asks (or a full bucket, for a
 * request larger than that), and takes it all, possibly into debt. Waiters are served in order by
 * one timer, set for when the first of them can go; a new limit takes effect at once, for waiters
 * too. Unlimited, `take` does nothing but return.
 */
export class TokenBucket implements Throttle {
  readonly #clock: Clock;
  readonly #rows: Dimension = { rate: 0, tokens: 0 };
  readonly #bytes: Dimension = { rate: 0, tokens: 0 };
  readonly #waiters: Waiter[] = [];
  #at: number;
  #timer: unknown;
  #limit: RateLimit = {};
  limited = false;

  constructor(limit?: RateLimit, clock: Clock = systemClock) {
    this.#clock = clock;
    this.#at = clock.now();
    this.setLimit(limit);
  }

  /** The limit in force (fields absent: unlimited). */
  get limit(): RateLimit {
    return { ...this.#limit };
  }

  /** Requests waiting for tokens. */
  get waiting(): number {
    return this.#waiters.length;
  }

  take(rows: number, bytes: number): Promise<void> | undefined {
    if (!this.limited) return undefined;
    if (this.#waiters.length === 0) {
      this.#refill();
      if (this.#canGo(rows, bytes)) {
        this.#charge(rows, bytes);
        return undefined;
      }
    }
    return new Promise<void>((resolve) => {
      this.#waiters.push({ rows, bytes, resolve });
      if (this.#waiters.length === 1) this.#schedule();
    });
  }

  /** Changes the limit: tokens earned so far count at the old rate, the rest at the new one. */
  setLimit(limit: RateLimit | undefined): void {
    this.#refill();
    const [rows, bytes] = ratesOf(limit);
    this.#limit = {
      ...(rows > 0 ? { rowsPerSecond: rows } : {}),
      ...(bytes > 0 ? { megabytesPerSecond: bytes / BYTES_PER_MEGABYTE } : {}),
    };
    for (const [dimension, rate] of [
      [this.#rows, rows],
      [this.#bytes, bytes],
    ] as const) {
      // A dimension that was unlimited starts empty (no burst beyond the limit at the start of a
      // copy); one whose rate drops keeps at most a burst.
      dimension.tokens = dimension.rate === 0 ? 0 : Math.min(dimension.tokens, rate * BURST_SECONDS);
      dimension.rate = rate;
    }
    this.limited = rows > 0 || bytes > 0;
    this.#cancelTimer();
    this.#wake();
  }

  /** Lets every waiter go and lifts the limit: the run is over. */
  close(): void {
    this.setLimit(undefined);
  }

  #refill(): void {
    const now = this.#clock.now();
    const seconds = Math.max(0, now - this.#at) / 1000;
    this.#at = now;
    for (const d of [this.#rows, this.#bytes])
      if (d.rate > 0) d.tokens = Math.min(d.rate * BURST_SECONDS, d.tokens + d.rate * seconds);
  }

  /** Tokens a request needs before it goes: what it asks, at most a full bucket. */
  #needs(d: Dimension, amount: number): number {
    return d.rate > 0 && amount > 0 ? Math.min(amount, d.rate * BURST_SECONDS) : Number.NEGATIVE_INFINITY;
  }

  #canGo(rows: number, bytes: number): boolean {
    return (
      this.#rows.tokens >= this.#needs(this.#rows, rows) &&
      this.#bytes.tokens >= this.#needs(this.#bytes, bytes)
    );
  }

  #charge(rows: number, bytes: number): void {
    if (this.#rows.rate > 0) this.#rows.tokens -= rows;
    if (this.#bytes.rate > 0) this.#bytes.tokens -= bytes;
  }

  /** Serves the waiters that can go now, in order, and sets the timer for the next. */
  #wake(): void {
    this.#timer = undefined;
    this.#refill();
    for (;;) {
      const first = this.#waiters[0];
      if (!first) return;
      if (this.limited && !this.#canGo(first.rows, first.bytes)) break;
      this.#waiters.shift();
      this.#charge(first.rows, first.bytes);
      first.resolve();
    }
    this.#schedule();
  }

  #schedule(): void {
    const first = this.#waiters[0];
    if (!first || this.#timer !== undefined) return;
    let seconds = 0;
    for (const [d, amount] of [
      [this.#rows, first.rows],
      [this.#bytes, first.bytes],
    ] as const) {
      const short = this.#needs(d, amount) - d.tokens;
      if (short > 0) seconds = Math.max(seconds, short / d.rate);
    }
    this.#timer = this.#clock.setTimeout(() => this.#wake(), Math.max(1, Math.ceil(seconds * 1000)));
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
