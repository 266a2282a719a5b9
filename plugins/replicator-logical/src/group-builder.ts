import { bigIntToLsn, lsnToBigInt, snapshotSees, type TxidSnapshot } from '@pgshift/pg';
import type { GroupEnd } from './apply-session.js';
import { CODES, ReplicationError } from './errors.js';
import type { LagTracker } from './lag-tracker.js';
import type { BeginChange, CommitChange } from './model.js';

export interface GroupLimits {
  /** Close a group after this many row changes, at a source commit. */
  groupMaxChanges: number;
  /** ... or after it has been open this long, at a source commit. */
  groupMaxMs: number;
}

/** A group ready to commit: its last source commit (whose end becomes the position) and its size. */
export interface ClosedGroup {
  last: GroupEnd & { commitTimeUs: bigint | undefined };
  transactions: number;
}

interface OpenTransaction {
  skip: boolean;
  /** Holds a schema change: the group commits with this transaction's commit. */
  endsGroup?: boolean;
  changes: number;
  commitTimeUs: bigint | undefined;
}

interface Group {
  transactions: number;
  changes: number;
  startedAt: number;
  last: ClosedGroup['last'] | undefined;
  /** Commit LSNs of the group's transactions, when they are recorded beyond the position. */
  commits: string[] | undefined;
}

export interface GroupStart {
  /** The durable position: what commits before it was applied already. */
  position: bigint;
  /** The snapshot the copy read when it was not the slot's: what it sees is on the target already. */
  copied: TxidSnapshot | undefined;
  /** Commit LSNs applied beyond the position (applied-beyond.ts): skipped when they stream again. */
  appliedBeyond?: ReadonlySet<bigint>;
  /**
   * Each group lists its transactions' commit LSNs (GroupEnd.applied), for an apply session that
   * records them beyond the position (parallel apply) instead of moving the position.
   */
  recordCommits?: boolean;
}

/**
 * Source transactions as they stream, gathered into groups (one target transaction each). Decides
 * which transactions are skipped (committed before the durable position, or already in the copy),
 * refuses one that ends where an applied one did, and says when a group is to commit.
 */
export class GroupBuilder {
  readonly #limits: GroupLimits;
  readonly #tracker: LagTracker;
  /** The snapshot the copy read when it was not the slot's: what it sees is on the target already. */
  readonly #copied: TxidSnapshot | undefined;
  readonly #appliedBeyond: ReadonlySet<bigint> | undefined;
  readonly #recordCommits: boolean;
  #lastSeenEnd: bigint;
  #txn: OpenTransaction | undefined;
  #group: Group;

  constructor(limits: GroupLimits, tracker: LagTracker, start: GroupStart) {
    this.#limits = limits;
    this.#tracker = tracker;
    this.#lastSeenEnd = start.position;
    this.#copied = start.copied;
    this.#appliedBeyond = start.appliedBeyond?.size ? start.appliedBeyond : undefined;
    this.#recordCommits = start.recordCommits === true;
    this.#group = this.#emptyGroup();
  }

  #emptyGroup(): Group {
    return {
      transactions: 0,
      changes: 0,
      startedAt: 0,
      last: undefined,
      commits: this.#recordCommits ? [] : undefined,
    };
  }

  /** A source transaction is open: its BEGIN came, its COMMIT not yet. */
  get inTransaction(): boolean {
    return this.#txn !== undefined;
  }

  /** A source transaction is open and its changes are to be applied. */
  get applying(): boolean {
    return this.#txn !== undefined && !this.#txn.skip;
  }

  /** Whether a row change is to be applied; refuses one outside a transaction. */
  wantsRow(): boolean {
    const txn = this.#txn;
    if (!txn) throw new ReplicationError(CODES.decode, 'a row change arrived outside a transaction');
    return !txn.skip;
  }

  /**
   * The open transaction holds a schema change: the group commits right after it, so what follows
   * runs against the committed change (an enum value, for one, is usable only once committed).
   */
  endGroupAfterTransaction(): void {
    if (this.#txn) this.#txn.endsGroup = true;
  }

  /** A change of the open transaction went into the group. */
  countChange(): void {
    this.#group.changes++;
    if (this.#txn) this.#txn.changes++;
  }

  /** The open transaction has put nothing into the group yet: the group holds whole ones only. */
  get openTransactionEmpty(): boolean {
    return this.#txn === undefined || this.#txn.changes === 0;
  }

  /** `position` is the durable apply position: what commits before it was applied already. */
  begin(change: BeginChange, position: bigint): void {
    if (this.#txn) throw new ReplicationError(CODES.decode, 'a transaction began inside another one');
    // Already applied: the stream may resend what committed before the durable position.
    const commit = change.commitLsn === undefined ? undefined : lsnToBigInt(change.commitLsn);
    const skip =
      (commit !== undefined && (commit < position || this.#appliedBeyond?.has(commit) === true)) ||
      this.#inCopy(change);
    this.#txn = { skip, commitTimeUs: change.commitTimeUs, changes: 0 };
    if (!skip) this.#tracker.began(change.commitTimeUs);
    if (!skip && this.#group.transactions === 0 && this.#group.changes === 0)
      this.#group.startedAt = Date.now();
  }

  /** Whether the copy already holds this transaction (it read a snapshot that sees it). */
  #inCopy(change: BeginChange): boolean {
    if (!this.#copied) return false;
    if (change.xid === undefined)
      throw new ReplicationError(
        CODES.decode,
        'the output plugin sent a transaction without its xid, which is needed to skip what the copy holds',
        {
          remedy:
            'use an output plugin that reports transaction ids (test_decoding and wal2json with include-xids)',
        },
      );
    return snapshotSees(this.#copied, change.xid);
  }

  /** Ends the open source transaction; true when the group reached a limit and is to commit. */
  end(change: CommitChange): boolean {
    const txn = this.#txn;
    if (!txn) throw new ReplicationError(CODES.decode, 'a commit arrived outside a transaction');
    this.#txn = undefined;
    if (txn.skip) return false;
    const end = change.endPosition ?? lsnToBigInt(change.endLsn);
    if (end <= this.#lastSeenEnd)
      throw new ReplicationError(
        CODES.duplicate,
        `the source sent a transaction ending at ${change.endLsn}, at or before ${bigIntToLsn(this.#lastSeenEnd)} which is already applied`,
        { remedy: 'nothing was committed for it; report this as a bug' },
      );
    this.#lastSeenEnd = end;
    const group = this.#group;
    group.transactions++;
    const commitTimeUs = change.commitTimeUs ?? txn.commitTimeUs;
    this.#tracker.received(end, commitTimeUs);
    group.last = change.commitLsn
      ? { commitLsn: change.commitLsn, endLsn: change.endLsn, commitTimeUs }
      : { endLsn: change.endLsn, commitTimeUs };
    if (group.commits) {
      if (!change.commitLsn)
        throw new ReplicationError(
          CODES.decode,
          'a commit without its LSN cannot be recorded beyond the position',
          {
            remedy: 'set applySessions to 1 (parallel apply needs pgoutput)',
          },
        );
      group.commits.push(change.commitLsn);
      group.last.applied = group.commits;
    }
    return (
      txn.endsGroup === true ||
      group.changes >= this.#limits.groupMaxChanges ||
      Date.now() - group.startedAt >= this.#limits.groupMaxMs
    );
  }

  /** The group to commit, if it holds a whole transaction; a new group starts. */
  take(): ClosedGroup | undefined {
    const { last, transactions } = this.#group;
    if (transactions === 0 || !last) return undefined;
    this.#group = this.#emptyGroup();
    return { last, transactions };
  }
}
