import type pg from 'pg';
import type { Applier, GroupEnd } from './applier.js';
import type { ChangeRouter, GroupCommits } from './change-router.js';
import type { GroupBuilder } from './group-builder.js';
import type { TargetCatalog } from './target-catalog.js';

/** A source transaction handed to a lane, in source commit order: the position's unit. */
export interface PlacedTransaction {
  commitLsn: string;
  endLsn: string;
  end: bigint;
  committed: boolean;
}

export interface LaneParts {
  index: number;
  client: pg.Client;
  catalog: TargetCatalog;
  applier: Applier;
  groups: GroupBuilder;
  /** Made with this lane as its `ack` (the lane is the router's GroupCommits). */
  router: (lane: ApplyLane) => ChangeRouter;
  /** Called in order with each committed group's transactions. */
  onCommitted: (transactions: PlacedTransaction[]) => void;
}

/**
 * One apply session of parallel apply: its own target connection, catalog, applier and groups,
 * fed whole source transactions by the coordinator (parallel-apply.ts) and committing its groups
 * in order, each recorded beyond the durable position (applied-beyond.ts). Groups are numbered:
 * `openGroup` is the one transactions join now, `committedGroup` the last whose COMMIT succeeded.
 */
export class ApplyLane implements GroupCommits {
  readonly index: number;
  readonly client: pg.Client;
  readonly catalog: TargetCatalog;
  readonly applier: Applier;
  readonly groups: GroupBuilder;
  readonly router: ChangeRouter;
  readonly #onCommitted: LaneParts['onCommitted'];
  openGroup = 1;
  committedGroup = 0;
  /** Changes given to the open group: what the coordinator balances the lanes by. */
  openChanges = 0;
  #open: PlacedTransaction[] = [];
  #lastCommit: Promise<void> | undefined;

  constructor(parts: LaneParts) {
    this.index = parts.index;
    this.client = parts.client;
    this.catalog = parts.catalog;
    this.applier = parts.applier;
    this.groups = parts.groups;
    this.#onCommitted = parts.onCommitted;
    this.router = parts.router(this);
  }

  /** The coordinator decides what was applied already; a lane applies whatever it is given. */
  get position(): bigint {
    return 0n;
  }

  /** A transaction joins the open group (before its changes are routed, which may commit it). */
  place(transaction: PlacedTransaction, changes: number): number {
    this.#open.push(transaction);
    this.openChanges += changes;
    return this.openGroup;
  }

  committing(done: Promise<void>, _end: GroupEnd, _transactions: number): void {
    const group = this.openGroup++;
    const transactions = this.#open;
    this.#open = [];
    this.openChanges = 0;
    const previous = this.#lastCommit ?? Promise.resolve();
    const recorded = previous
      .then(() => done)
      .then(() => {
        this.committedGroup = group;
        for (const t of transactions) t.committed = true;
        this.#onCommitted(transactions);
      });
    // Surfaced by settle(); this keeps a failure from being "unhandled" meanwhile.
    recorded.catch(() => {});
    this.#lastCommit = recorded;
  }

  /** Commits the open group (if it holds anything) and waits until every group is committed. */
  async commitAndSettle(): Promise<void> {
    await this.router.commitGroup();
    await this.settle();
  }

  /** Waits until every group sent is committed; throws if a commit failed. */
  async settle(): Promise<void> {
    const last = this.#lastCommit;
    if (!last) return;
    await last;
    if (this.#lastCommit === last) this.#lastCommit = undefined;
  }
}
