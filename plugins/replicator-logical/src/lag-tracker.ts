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
  lastCommitTimeUs: bigint | undefined;
  busy = false;
  readonly #startedAt = Date.now();
  #samples: [number, number][] = [];

  seeSource(lsn: bigint): void {
    if (lsn > this.source) this.source = lsn;
  }

  applyGroup(position: bigint, transactions: number, commitTimeUs: bigint | undefined): void {
    this.applied = position;
    this.transactionsApplied += transactions;
    if (commitTimeUs !== undefined) this.lastCommitTimeUs = commitTimeUs;
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
    const since =
      this.lastCommitTimeUs !== undefined ? Number(this.lastCommitTimeUs / 1000n) : this.#startedAt;
    return {
      appliedLsn: bigIntToLsn(this.applied),
      sourceLsn: bigIntToLsn(later(this.source, this.applied)),
      lagBytes,
      // Nothing received is waiting to be applied: caught up.
      lagSeconds: this.busy ? Math.max(0, (now - since) / 1000) : 0,
      applyRate: Math.round(this.rate(now) * 10) / 10,
      transactionsApplied: this.transactionsApplied,
    };
  }
}
