import { lsnToBigInt } from '@pgshift/pg';
import type { FollowControl, Throttle } from '@pgshift/plugin-api';
import type { Acknowledger } from './acknowledger.js';
import type { Applier } from './applier.js';
import type { ChangeRouter } from './change-router.js';
import type { GroupBuilder } from './group-builder.js';
import type { LagTracker } from './lag-tracker.js';
import type { LoopSignal } from './loop-signal.js';
import type { Change } from './model.js';
import type { QueueItem, ReceiveQueue } from './receive-queue.js';

/**
 * What the loop needs of the apply stages: the single-session path passes its group builder,
 * router, applier and acknowledger; parallel apply (parallel-apply.ts) stands in for all four.
 */
export interface LoopParts {
  control: FollowControl;
  signal: LoopSignal;
  queue: ReceiveQueue;
  groups: Pick<GroupBuilder, 'inTransaction'>;
  router: Pick<ChangeRouter, 'handle' | 'commitGroup'>;
  applier: Pick<Applier, 'rollback'>;
  ack: Pick<Acknowledger, 'settle' | 'position' | 'report'>;
  tracker: LagTracker;
  /** The task's apply limit: each item's data changes and wire bytes are taken from it. */
  throttle?: Throttle | undefined;
}

/** Rows an item changes, for the apply limit: inserts, updates and deletes (a truncate counts one). */
function dataChanges(changes: readonly Change[]): number {
  let rows = 0;
  for (const change of changes)
    if (change.kind !== 'begin' && change.kind !== 'commit' && change.kind !== 'relation') rows++;
  return rows;
}

/** How long the loop sleeps with nothing to do, unless something arrives. */
const IDLE_MS = 200;
/** How often, while draining, a keepalive is asked for to learn how far the source has sent. */
const DRAIN_PING_MS = 500;

/**
 * The follow loop: takes what the receive queue holds, in order, through the router, commits a
 * group whenever the queue runs dry between transactions, and ends when aborted (never committing
 * half a source transaction) or when everything before the drain goal is applied.
 */
export class FollowLoop {
  readonly #p: LoopParts;
  #lastPing = 0;

  constructor(parts: LoopParts) {
    this.#p = parts;
  }

  async run(): Promise<void> {
    const { signal, queue, control } = this.#p;
    for (;;) {
      signal.turn();
      if (control.signal.aborted) return this.#stop();
      const item = queue.shift();
      if (item) {
        await this.#process(item);
        continue;
      }
      const next = await this.#idle();
      if (next === 'drained') return;
      if (next === 'wait') await signal.sleep(IDLE_MS);
    }
  }

  /**
   * Aborted: a group holding part of a source transaction is rolled back and will be streamed again
   * from the durable position; a group of whole ones commits.
   */
  async #stop(): Promise<void> {
    const { groups, applier, router, ack } = this.#p;
    if (groups.inTransaction) await applier.rollback();
    else await router.commitGroup();
    await ack.settle();
  }

  async #process(item: QueueItem): Promise<void> {
    const { groups, router, queue, tracker } = this.#p;
    if (item.type === 'keepalive') {
      tracker.seeSource(item.lsn);
      if (!groups.inTransaction) {
        await router.commitGroup();
        if (item.lsn > tracker.caughtUpTo) tracker.caughtUpTo = item.lsn;
      }
      return;
    }
    // Unlimited, nothing is counted or awaited here: the hot path stays as it was.
    if (this.#p.throttle?.limited) {
      const wait = this.#p.throttle.take(dataChanges(item.changes), item.bytes);
      if (wait) await wait;
    }
    for (const change of item.changes) {
      const slow = router.handle(change);
      if (slow) await slow;
    }
    queue.release(item);
  }

  /** The queue is empty: commit what is whole, see commits through, and check the drain goal. */
  async #idle(): Promise<'drained' | 'more' | 'wait'> {
    const { groups, router, ack, queue, control, tracker } = this.#p;
    if (!groups.inTransaction) await router.commitGroup();
    // Idle: a good moment to wait for the commit in flight (and to see it fail).
    await ack.settle();
    if (queue.length > 0) return 'more';
    const drainTo = control.drainTo?.();
    if (drainTo === undefined) return 'wait';
    const goal = lsnToBigInt(drainTo);
    if (ack.position >= goal || (!groups.inTransaction && tracker.caughtUpTo >= goal)) return 'drained';
    if (Date.now() - this.#lastPing > DRAIN_PING_MS) {
      this.#lastPing = Date.now();
      // Ask for a keepalive: its position tells when everything before the goal was sent.
      await ack.report(true);
    }
    return 'wait';
  }
}
