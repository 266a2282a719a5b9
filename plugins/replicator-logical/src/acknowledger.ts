import { lsnToBigInt } from '@pgshift/pg';
import type { GroupEnd } from './apply-session.js';
import type { LagTracker } from './lag-tracker.js';

/** Where standby status updates go (the replication stream). */
export interface StatusSink {
  sendStatus(position: bigint, requestReply?: boolean): Promise<void>;
}

/**
 * The acknowledge stage. It owns the durable apply position: the end of the last group whose
 * COMMIT succeeded on the target (with the position row in it), and the only position the source
 * is ever told. Group commits are sent without waiting; they complete in order (the target
 * session runs one script at a time), and each moves the position only once it and every earlier
 * one succeeded. Keepalive answers and periodic reports repeat the position and never move it.
 */
export class Acknowledger {
  readonly #sink: StatusSink;
  readonly #tracker: LagTracker;
  #position: bigint;
  /** The last group commit sent and not yet known to have succeeded. */
  #committing: Promise<void> | undefined;

  constructor(sink: StatusSink, tracker: LagTracker, position: bigint) {
    this.#sink = sink;
    this.#tracker = tracker;
    this.#position = position;
  }

  /** The durable apply position. */
  get position(): bigint {
    return this.#position;
  }

  /**
   * A group's COMMIT was sent; `done` settles when the target ran it. Then (after every earlier
   * group) the position moves to the group's end and the source hears of it.
   */
  committing(done: Promise<void>, end: GroupEnd, transactions: number): void {
    const previous = this.#committing ?? Promise.resolve();
    const recorded = previous.then(() => done).then(() => this.#committed(end, transactions));
    // Surfaced by settle(); this keeps a failure from being "unhandled" meanwhile.
    recorded.catch(() => {});
    this.#committing = recorded;
  }

  async #committed(end: GroupEnd, transactions: number): Promise<void> {
    this.#position = lsnToBigInt(end.endLsn);
    this.#tracker.applyGroup(this.#position, transactions);
    await this.#sink.sendStatus(this.#position);
  }

  /** Waits until every group sent is committed and acknowledged; throws if a commit failed. */
  async settle(): Promise<void> {
    const committing = this.#committing;
    if (!committing) return;
    await committing;
    if (this.#committing === committing) this.#committing = undefined;
  }

  /** Tells the source the durable position again (keepalive answers, the periodic update). */
  report(requestReply = false): Promise<void> {
    return this.#sink.sendStatus(this.#position, requestReply);
  }
}
