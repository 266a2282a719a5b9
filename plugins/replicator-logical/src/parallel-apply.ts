import { lsnToBigInt } from '@pgshift/pg';
import type { Acknowledger } from './acknowledger.js';
import type { ApplyLane, PlacedTransaction } from './apply-lane.js';
import { ConflictTracker } from './conflict-tracker.js';
import { isDdlLog } from './ddl-command.js';
import { CODES, ReplicationError } from './errors.js';
import type { FollowedTables } from './followed-tables.js';
import type { ForeignKeys } from './foreign-keys.js';
import { type BeginChange, type Change, type CommitChange, type DataChange, rowBytes } from './model.js';
import type { PrefixPosition } from './prefix-position.js';
import type { SourceIdentities } from './source-identity.js';
import type { TargetCatalog } from './target-catalog.js';
import { type Access, changeAccesses, SERIAL } from './transaction-keys.js';
import { isCaptureLog } from './truncate-capture.js';

/**
 * When transactions keep conflicting across lanes (every one updates one of a few rows, as in
 * TPC-B), each forced commit costs a round trip and a WAL flush while spreading gains nothing: a
 * transaction without conflicts then joins the lane of the one before, so conflicting work stays
 * in one lane. A forced commit weighs 1/1000 of the rate, so it takes about 700 placements
 * without one before transactions spread again.
 */
const RATE_WEIGHT = 0.001;
const FORCED_LIMIT = 0.0005;

export interface ParallelLimits {
  /** A source transaction with more row changes is applied alone, streamed through lane 0. */
  maxTransactionChanges: number;
  /** ... or with more bytes of values. */
  maxTransactionBytes: number;
}

export interface ParallelParts {
  lanes: ApplyLane[];
  /** The coordinator's own target session's catalog: tables' keys, for dependencies. */
  catalog: TargetCatalog;
  identities: SourceIdentities;
  followed: FollowedTables;
  foreignKeys: () => Promise<ForeignKeys>;
  position: PrefixPosition;
  ack: Acknowledger;
  /** Commit LSNs applied beyond the durable position by an earlier run: skipped. */
  appliedBeyond: ReadonlySet<bigint>;
  limits: ParallelLimits;
}

interface BufferedTransaction {
  begin: BeginChange;
  commitLsn: bigint;
  skip: boolean;
  changes: Change[];
  rowChanges: number;
  bytes: number;
  accesses: Access[];
  /** Its dependencies cannot be known (schema change, truncate, new relation definition, ...). */
  serial: boolean;
  ddl: boolean;
  /** Its entry in the position's list, once given to a lane. */
  placed?: PlacedTransaction;
}

/**
 * Parallel apply: source transactions that touch disjoint keys go to different apply sessions
 * (lanes), each committing its own groups. A transaction is buffered whole, its keys worked out
 * (transaction-keys.ts), and placed in the one lane holding uncommitted transactions it conflicts
 * with, so those stay in commit order (a lane applies and commits in order); when it conflicts with
 * several lanes, all but one commit first. A transaction whose keys cannot be known, or that is too
 * large to buffer, is applied alone on lane 0 once every lane has committed, and committed before
 * anything after it is placed (schema changes stay at a commit boundary, with everything before
 * them committed, as ddl-replay.ts needs). The durable position is the gapless prefix
 * (prefix-position.ts); groups record their transactions beyond it (applied-beyond.ts).
 *
 * It stands in for the router, the group builder, the applier and the acknowledger of the single
 * session path in the follow loop.
 */
export class ParallelApply {
  readonly #p: ParallelParts;
  readonly #lanes: ApplyLane[];
  readonly #conflicts: ConflictTracker;
  #fks: ForeignKeys | undefined;
  #txn: BufferedTransaction | undefined;
  /** A transaction too large to buffer is being streamed through lane 0. */
  #streaming = false;
  /** Placements that made other lanes commit first, as a moving share of recent placements. */
  #forcedRate = 0;
  #lastLane: ApplyLane | undefined;

  constructor(parts: ParallelParts) {
    this.#p = parts;
    this.#lanes = parts.lanes;
    this.#conflicts = new ConflictTracker((lane) => this.#lanes[lane]?.committedGroup ?? 0);
  }

  get #first(): ApplyLane {
    return this.#lanes[0] as ApplyLane;
  }

  /** A source transaction is open (for the loop: nothing may commit half of it). */
  get inTransaction(): boolean {
    return this.#txn !== undefined;
  }

  get position(): bigint {
    return this.#p.ack.position;
  }

  report(requestReply = false): Promise<void> {
    return this.#p.ack.report(requestReply);
  }

  handle(change: Change): Promise<void> | undefined {
    switch (change.kind) {
      case 'begin':
        this.#begin(change);
        return undefined;
      case 'commit':
        return this.#end(change);
      case 'relation':
        for (const lane of this.#lanes) lane.catalog.forget(change.relation);
        this.#p.catalog.forget(change.relation);
        if (!this.#txn || this.#txn.skip) return this.#first.router.handle(change);
        return this.#add(change, true);
      default:
        if (!this.#txn)
          throw new ReplicationError(CODES.decode, 'a row change arrived outside a transaction');
        if (this.#txn.skip) return undefined;
        return this.#add(change, false);
    }
  }

  #begin(change: BeginChange): void {
    if (this.#txn) throw new ReplicationError(CODES.decode, 'a transaction began inside another one');
    if (change.commitLsn === undefined)
      throw new ReplicationError(CODES.decode, 'parallel apply needs the commit LSN at BEGIN (pgoutput)', {
        remedy: 'set applySessions to 1',
      });
    const commitLsn = lsnToBigInt(change.commitLsn);
    const skip = commitLsn < this.#p.ack.position || this.#p.appliedBeyond.has(commitLsn);
    this.#txn = {
      begin: change,
      commitLsn,
      skip,
      changes: [],
      rowChanges: 0,
      bytes: 0,
      accesses: [],
      serial: false,
      ddl: false,
    };
  }

  async #add(change: Change, serial: boolean): Promise<void> {
    const txn = this.#txn as BufferedTransaction;
    // Known however the transaction is applied: after it, every session reads the tables again.
    if ((change.kind === 'insert' || change.kind === 'update') && isDdlLog(change.relation)) txn.ddl = true;
    if (this.#streaming) {
      await this.#first.router.handle(change);
      return;
    }
    txn.changes.push(change);
    if (serial) txn.serial = true;
    if (change.kind === 'insert' || change.kind === 'update' || change.kind === 'delete') {
      txn.bytes += change.bytes ?? rowBytes(change.kind === 'delete' ? change.old : change.new);
    }
    if (change.kind !== 'relation' && change.kind !== 'begin' && change.kind !== 'commit') {
      txn.rowChanges++;
      if (!txn.serial) await this.#learnKeys(txn, change);
    }
    const limits = this.#p.limits;
    if (txn.rowChanges > limits.maxTransactionChanges || txn.bytes > limits.maxTransactionBytes)
      await this.#startStreaming(txn);
  }

  /** Adds a change's keys to its transaction, or marks the transaction serial. */
  async #learnKeys(txn: BufferedTransaction, change: DataChange): Promise<void> {
    if (change.kind === 'truncate') {
      txn.serial = true;
      return;
    }
    if (isDdlLog(change.relation) || isCaptureLog(change.relation)) {
      txn.serial = true;
      return;
    }
    if (!this.#p.followed.follows(change.relation)) return;
    const identity = change.identity ?? (await this.#p.identities.of(change.relation));
    const table = this.#p.catalog.cached(change.relation) ?? (await this.#p.catalog.table(change.relation));
    this.#fks ??= await this.#p.foreignKeys();
    const accesses = changeAccesses(change, identity, table, this.#fks);
    if (accesses === SERIAL) txn.serial = true;
    else for (const access of accesses) txn.accesses.push(access);
  }

  /** Too large to buffer: applied alone, streamed through lane 0 from here on. */
  async #startStreaming(txn: BufferedTransaction): Promise<void> {
    await this.#barrier();
    this.#streaming = true;
    this.#place(txn, this.#first);
    const changes = txn.changes;
    txn.changes = [];
    await this.#route(this.#first, [txn.begin, ...changes]);
  }

  async #end(change: CommitChange): Promise<void> {
    const txn = this.#txn;
    if (!txn) throw new ReplicationError(CODES.decode, 'a commit arrived outside a transaction');
    this.#txn = undefined;
    if (txn.skip) return;
    const first = this.#first;
    if (this.#streaming) {
      this.#streaming = false;
      this.#ended(txn, change);
      await this.#route(first, [change]);
      await this.#aloneCommitted(txn);
      return;
    }
    if (txn.serial) {
      await this.#barrier();
      this.#place(txn, first);
      this.#ended(txn, change);
      await this.#route(first, [txn.begin, ...txn.changes, change]);
      await this.#aloneCommitted(txn);
      return;
    }
    const lane = await this.#laneFor(txn.accesses);
    const group = this.#place(txn, lane);
    this.#ended(txn, change);
    this.#conflicts.record(txn.accesses, { lane: lane.index, group });
    await this.#route(lane, [txn.begin, ...txn.changes, change]);
  }

  /** Lists the transaction for the position, in source commit order, and gives it to a lane. */
  #place(txn: BufferedTransaction, lane: ApplyLane): number {
    const placed: PlacedTransaction = {
      commitLsn: txn.begin.commitLsn as string,
      endLsn: '',
      end: 0n,
      committed: false,
    };
    txn.placed = placed;
    this.#p.position.placed(placed);
    return lane.place(placed, txn.rowChanges);
  }

  #ended(txn: BufferedTransaction, change: CommitChange): void {
    const placed = txn.placed as PlacedTransaction;
    placed.endLsn = change.endLsn;
    placed.end = change.endPosition ?? lsnToBigInt(change.endLsn);
  }

  async #route(lane: ApplyLane, changes: readonly Change[]): Promise<void> {
    for (const change of changes) {
      const slow = lane.router.handle(change);
      if (slow) await slow;
    }
  }

  /**
   * The lane holding uncommitted transactions this one conflicts with; with several, all but the
   * busiest commit first. With none, the lane with the least work in its open group.
   */
  async #laneFor(accesses: readonly Access[]): Promise<ApplyLane> {
    const conflicting = [...this.#conflicts.conflicts(accesses)].map((i) => this.#lanes[i] as ApplyLane);
    let lane: ApplyLane;
    if (conflicting.length === 0)
      lane =
        this.#forcedRate > FORCED_LIMIT && this.#lastLane
          ? this.#lastLane
          : this.#lanes.reduce((best, l) => (l.openChanges < best.openChanges ? l : best));
    else lane = conflicting.reduce((best, l) => (l.openChanges > best.openChanges ? l : best));
    const forced = conflicting.length > 1;
    if (forced) await Promise.all(conflicting.map((l) => (l === lane ? undefined : l.commitAndSettle())));
    this.#forcedRate = this.#forcedRate * (1 - RATE_WEIGHT) + (forced ? RATE_WEIGHT : 0);
    this.#lastLane = lane;
    return lane;
  }

  /** A transaction applied alone is committed before anything after it is placed. */
  async #aloneCommitted(txn: BufferedTransaction): Promise<void> {
    await this.#first.commitAndSettle();
    this.#conflicts.clear();
    if (!txn.ddl) return;
    // A schema change: every session reads the tables (and the foreign keys) again.
    for (const lane of this.#lanes) lane.catalog.forgetAll();
    this.#p.catalog.forgetAll();
    this.#fks = undefined;
  }

  /** Every lane commits what it holds and waits until the target has. */
  async #barrier(): Promise<void> {
    await Promise.all(this.#lanes.map((lane) => lane.commitAndSettle()));
    this.#conflicts.clear();
  }

  /**
   * Commits each lane's group of whole transactions (the loop: caught up, or a keepalive). Side by
   * side: a lane whose target session is busy (or waits for a lock) holds up no other lane.
   */
  async commitGroup(): Promise<void> {
    if (this.#txn) return;
    await Promise.all(this.#lanes.map((lane) => lane.router.commitGroup()));
  }

  /** Waits until every group sent is committed and the position written and acknowledged. */
  async settle(): Promise<void> {
    await Promise.all(this.#lanes.map((lane) => lane.settle()));
    await this.#p.position.settle();
    await this.#p.ack.settle();
  }

  /**
   * Abandons what no lane committed yet: the open transaction and every lane's open group. None of
   * it is recorded, so it streams again from the durable position.
   */
  async rollback(): Promise<void> {
    this.#txn = undefined;
    this.#streaming = false;
    await Promise.all(this.#lanes.map((lane) => lane.applier.rollback().catch(() => {})));
  }
}
