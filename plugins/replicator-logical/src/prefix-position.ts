import type pg from 'pg';
import { PRUNE_BEYOND } from './applied-beyond.js';
import type { PlacedTransaction } from './apply-lane.js';
import type { GroupEnd } from './apply-session.js';
import { WRITE_PROGRESS } from './progress-store.js';

/** Where the durable position is announced once written (the acknowledger). */
export interface PositionSink {
  committing(done: Promise<void>, end: GroupEnd, transactions: number): void;
}

/**
 * The durable position under parallel apply: the end of the gapless prefix of source commits.
 * Transactions are listed in source commit order as they are placed; once a lane commits some,
 * the prefix advances over every committed one up to the first that is not, and a small target
 * transaction of its own writes that position to pgshift.apply_progress and deletes the records
 * of apply_beyond it now covers. One such write is in flight at a time; later advances wait and
 * are written together. Only after it committed does the acknowledger move the position (and the
 * source hear of it).
 */
export class PrefixPosition {
  readonly #client: pg.Client;
  readonly #slotName: string;
  readonly #sink: PositionSink;
  #placed: PlacedTransaction[] = [];
  #head = 0;
  /** The prefix's last transaction not yet written, and how many transactions it adds. */
  #wanted: { end: PlacedTransaction; transactions: number } | undefined;
  #writing: Promise<void> | undefined;

  constructor(client: pg.Client, slotName: string, sink: PositionSink) {
    this.#client = client;
    this.#slotName = slotName;
    this.#sink = sink;
  }

  /** A transaction placed in a lane, in source commit order. */
  placed(transaction: PlacedTransaction): void {
    this.#placed.push(transaction);
  }

  /** Some transactions committed: advance the prefix over the committed ones at its head. */
  advance(): void {
    let last: PlacedTransaction | undefined;
    let count = 0;
    while (this.#head < this.#placed.length && this.#placed[this.#head]?.committed) {
      last = this.#placed[this.#head];
      this.#head++;
      count++;
    }
    if (this.#head > 4096 && this.#head * 2 > this.#placed.length) {
      this.#placed = this.#placed.slice(this.#head);
      this.#head = 0;
    }
    if (!last) return;
    this.#wanted = { end: last, transactions: (this.#wanted?.transactions ?? 0) + count };
    if (!this.#writing) this.#write();
  }

  /** Transactions placed and not yet inside the written prefix. */
  get pending(): number {
    return this.#placed.length - this.#head;
  }

  #write(): void {
    const wanted = this.#wanted;
    if (!wanted) return;
    this.#wanted = undefined;
    const { commitLsn, endLsn } = wanted.end;
    const client = this.#client;
    const done = (async () => {
      await client.query('BEGIN');
      try {
        await client.query(WRITE_PROGRESS, [this.#slotName, commitLsn, endLsn]);
        await client.query(PRUNE_BEYOND, [this.#slotName, commitLsn]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    })();
    this.#sink.committing(done, { commitLsn, endLsn }, wanted.transactions);
    const writing = done.then(
      () => {
        this.#writing = undefined;
        this.#write();
      },
      () => {
        this.#writing = undefined;
      },
    );
    this.#writing = writing;
  }

  /** Waits until every advance so far is written (a failure surfaces through the acknowledger). */
  async settle(): Promise<void> {
    while (this.#writing) await this.#writing;
  }
}
