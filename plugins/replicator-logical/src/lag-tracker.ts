import { bigIntToLsn } from '@pgshift/pg';
import type { ReplicationStatus } from '@pgshift/plugin-api';

const RATE_WINDOW_MS = 5_000;

/** Math.max does not take BigInt. */
function later(a: bigint, b: bigint): bigint {
  if (a >= b) return a;
  return b;
}

/** Keeps the figures `status()` reports: positions, lag and apply rate. */
export class LagTracker {
  applied = 0n;
  /** Highest WAL position the source reported (keepalives, data, pg_current_wal_lsn). */
  source = 0n;
  /** A keepalive position reached with nothing left to apply: the target is caught up to it. */
  caughtUpTo = 0n;
  transactionsApplied = 0;
  #samples: [number, number][] = [];
  /**
   * Transactions received and not yet applied, oldest first: where each ends, and since when it
   * waits (its commit time on the source when the format gives it, else when it arrived).
   */
  #pending: { end: bigint; sinceMs: number }[] = [];
  /** The transaction being received, not yet committed on the stream: since when it waits. */
  #openSinceMs: number | undefined;

  seeSource(lsn: bigint): void {
    if (lsn > this.source) this.source = lsn;
  }

  /** A transaction to apply begins arriving. */
  began(commitTimeUs: bigint | undefined, now = Date.now()): void {
    this.#openSinceMs ??= commitTimeUs === undefined ? now : Number(commitTimeUs / 1000n);
  }

  /** A transaction to apply has arrived whole; it ends at `end`. */
  received(end: bigint, commitTimeUs: bigint | undefined, now = Date.now()): void {
    const sinceMs = commitTimeUs === undefined ? (this.#openSinceMs ?? now) : Number(commitTimeUs / 1000n);
    this.#pending.push({ end, sinceMs });
    this.#openSinceMs = undefined;
  }

  applyGroup(position: bigint, transactions: number): void {
    this.applied = position;
    this.transactionsApplied += transactions;
    while (this.#pending.length > 0 && (this.#pending[0] as { end: bigint }).end <= position)
      this.#pending.shift();
    this.sample();
  }

  sample(now = Date.now()): void {
    this.#samples.push([now, this.transactionsApplied]);
    while (this.#samples.length > 2 && (this.#samples[1] as [number, number])[0] < now - RATE_WINDOW_MS)
      this.#samples.shift();
  }

  rate(now = Date.now()): number {
    const first = this.#samples[0];
    if (!first) return 0;
    const seconds = (now - first[0]) / 1000;
    return seconds > 0 ? (this.transactionsApplied - first[1]) / seconds : 0;
  }

  status(now = Date.now()): ReplicationStatus {
    const reached = later(this.applied, this.caughtUpTo);
    const lagBytes = this.source > reached ? this.source - reached : 0n;
    const oldest = this.#pending[0]?.sinceMs ?? this.#openSinceMs;
    return {
      appliedLsn: bigIntToLsn(this.applied),
      sourceLsn: bigIntToLsn(later(this.source, this.applied)),
      lagBytes,
      // How long the oldest change not yet applied has waited; none waiting: caught up. Not the
      // age of the last applied commit: after a pause with an idle source that one is old, and
      // nothing is late.
      lagSeconds: oldest === undefined ? 0 : Math.max(0, (now - oldest) / 1000),
      applyRate: Math.round(this.rate(now) * 10) / 10,
      transactionsApplied: this.transactionsApplied,
    };
  }
}
