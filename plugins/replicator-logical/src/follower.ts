import {
  bigIntToLsn,
  lsnToBigInt,
  openClient,
  parseTxidSnapshot,
  serverVersionNum,
  slotStateSql,
  snapshotSees,
  type TxidSnapshot,
  walInsertLsnSql,
} from '@pgshift/pg';
import type { FollowControl, ReplicationContext } from '@pgshift/plugin-api';
import type pg from 'pg';
import { Applier, type GroupEnd } from './applier.js';
import { type Decoder, decoderFor } from './decoders/index.js';
import { CODES, ReplicationError, STREAM_REMEDY } from './errors.js';
import type { LagTracker } from './lag-tracker.js';
import type { BeginChange, Change, CommitChange, DeleteChange, InsertChange, UpdateChange } from './model.js';
import type { FollowOptions } from './options.js';
import { readPosition } from './progress-store.js';
import { SourceIdentities } from './source-identity.js';
import { ReplicationStream } from './stream.js';
import { TargetCatalog } from './target-catalog.js';
import { isCaptureLog, TruncateCollector } from './truncate-capture.js';

/** Received data: the changes of one or more consecutive messages, and how many and how big. */
type Item =
  | { type: 'data'; changes: Change[]; messages: number; bytes: number }
  | { type: 'keepalive'; lsn: bigint };

/** Changes of consecutive messages share a queue item up to this many: fewer items, less overhead. */
const ITEM_MAX_CHANGES = 256;

interface OpenTransaction {
  skip: boolean;
  commitTimeUs: bigint | undefined;
}

interface Group {
  transactions: number;
  changes: number;
  startedAt: number;
  last: (GroupEnd & { commitTimeUs: bigint | undefined }) | undefined;
}

/**
 * A walsender of a process that died (SIGKILL, lost network) holds the slot until the server
 * notices; starting meanwhile fails with "slot is active", so wait for it to let go.
 */
async function waitForSlotInactive(
  client: pg.Client,
  versionNum: number,
  slotName: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ active: boolean; pid: number | null }>(slotStateSql(versionNum), [
      slotName,
    ]);
    const slot = rows[0];
    if (!slot)
      throw new ReplicationError(CODES.stream, `replication slot ${slotName} does not exist on the source`, {
        remedy: 'the slot was dropped; start the migration again (a new full copy is needed)',
      });
    if (!slot.active) return;
    if (Date.now() > deadline)
      throw new ReplicationError(
        CODES.slotBusy,
        `replication slot ${slotName} is in use by process ${slot.pid ?? '(unknown on this version)'}`,
        {
          remedy:
            slot.pid === null
              ? 'stop the other pgshift streaming from it, or end its walsender (listed in pg_stat_replication) with pg_terminate_backend on the source'
              : `stop the other pgshift streaming from it, or SELECT pg_terminate_backend(${slot.pid}) on the source`,
        },
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const emptyGroup = (): Group => ({ transactions: 0, changes: 0, startedAt: 0, last: undefined });

/**
 * One run of `follow`: streams from the durable position, applies in commit order in groups, and
 * acknowledges the source only with what the target has committed.
 */
export class Follower {
  readonly #ctx: ReplicationContext;
  readonly #control: FollowControl;
  readonly #options: FollowOptions;
  readonly #tracker: LagTracker;
  #position = 0n;
  #queue: Item[] = [];
  #queuedBytes = 0;
  #queuedMessages = 0;
  #txn: OpenTransaction | undefined;
  /** The snapshot the copy read when it was not the slot's: what it sees is on the target already. */
  #copied: TxidSnapshot | undefined;
  #group = emptyGroup();
  #truncates = new TruncateCollector();
  #lastSeenEnd = 0n;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;
  /** Set by #kick, cleared when the loop looks again: a kick while the loop was busy is not lost. */
  #kicked = false;
  #stream: ReplicationStream | undefined;
  #paused = false;
  #catalog: TargetCatalog | undefined;
  /** pgoutput announces a table's new definition; the text formats only show it in the rows. */
  #relationsAnnounced = false;
  /** The last group commit sent and not yet known to have succeeded. */
  #committing: Promise<void> | undefined;

  constructor(ctx: ReplicationContext, control: FollowControl, options: FollowOptions, tracker: LagTracker) {
    this.#ctx = ctx;
    this.#control = control;
    this.#options = options;
    this.#tracker = tracker;
  }

  #fail(error: unknown): void {
    if (this.#failure) return;
    this.#failure =
      error instanceof Error
        ? error
        : new ReplicationError(CODES.stream, `replication stream failed: ${String(error)}`, {
            remedy: STREAM_REMEDY,
          });
    this.#kick();
  }

  #kick(): void {
    this.#kicked = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Waits for a kick (data, a keepalive, an abort, a failure) or `ms`, whichever comes first. */
  #sleep(ms: number): Promise<void> {
    if (this.#kicked) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async run(): Promise<void> {
    const ctx = this.#ctx;
    const database = ctx.database.name;
    const stored = await readPosition(ctx);
    if (!stored)
      throw new ReplicationError(
        CODES.stream,
        `no apply position is recorded on the target for slot ${ctx.slotName}`,
        {
          remedy: 'record the slot consistent point with initPosition after the full copy',
        },
      );
    this.#position = lsnToBigInt(stored.endLsn);
    this.#copied = stored.copiedSnapshot ? parseTxidSnapshot(stored.copiedSnapshot) : undefined;
    this.#lastSeenEnd = this.#position;
    this.#tracker.applied = this.#position;
    this.#tracker.seeSource(this.#position);

    const target = await openClient(ctx.target.route.connection({ database }), 'pgshift-apply');
    let poller: pg.Client | undefined;
    const timers: NodeJS.Timeout[] = [];
    const stream = new ReplicationStream(ctx.source.route.connection({ database, replication: true }));
    this.#stream = stream;
    const onAbort = () => this.#kick();
    this.#control.signal.addEventListener('abort', onAbort);
    let applier: Applier | undefined;
    try {
      const decoder = decoderFor(ctx.decoder, ctx.publicationName);
      this.#relationsAnnounced = decoder.format === 'pgoutput';
      const identities = new SourceIdentities(ctx);
      // The target session and the source side are set up side by side; the stream starts as
      // soon as the slot is free (its data waits in the queue until the applier is ready).
      const setUpTarget = async (): Promise<Applier> => {
        const catalog = new TargetCatalog(target, await serverVersionNum(target));
        this.#catalog = catalog;
        const opened = new Applier(target, catalog, ctx.slotName, this.#options, ctx.logger);
        applier = opened;
        await opened.open();
        return opened;
      };
      const setUpSource = async (): Promise<number> => {
        const client = await openClient(ctx.source.route.connection({ database }), 'pgshift-lag');
        poller = client;
        const version = await serverVersionNum(client);
        await waitForSlotInactive(client, version, ctx.slotName, this.#options.slotWaitMs);
        await decoder.prepare?.(client, ctx);
        this.#startStream(stream, decoder);
        return version;
      };
      // Both settle before going on, so a failure of one never leaves the other running unowned.
      const [targetSide, sourceSide] = await Promise.allSettled([setUpTarget(), setUpSource()]);
      if (targetSide.status === 'rejected') throw targetSide.reason;
      if (sourceSide.status === 'rejected') throw sourceSide.reason;
      const runningApplier = targetSide.value;
      const sourceVersion = sourceSide.value;
      // The insert position counts commits not yet written out (synchronous_commit = off).
      const walPosition = walInsertLsnSql(sourceVersion);

      timers.push(
        setInterval(
          () => void stream.sendStatus(this.#position).catch(() => {}),
          this.#options.statusIntervalMs,
        ),
      );
      let polling = false;
      timers.push(
        setInterval(() => {
          if (polling || !poller) return;
          polling = true;
          poller
            .query<{ lsn: string }>(`SELECT ${walPosition}::text AS lsn`)
            .then((r) => r.rows[0] && this.#tracker.seeSource(lsnToBigInt(r.rows[0].lsn)))
            .catch(() => {})
            .finally(() => {
              polling = false;
              this.#emitLag();
            });
        }, this.#options.lagIntervalMs),
      );
      let lastPing = 0;

      for (;;) {
        this.#kicked = false;
        if (this.#failure) throw this.#failure;
        if (this.#control.signal.aborted) {
          // Never commit half a source transaction: a group holding one is rolled back and will be
          // streamed again from the durable position.
          if (this.#txn) await runningApplier.rollback();
          else await this.#commitGroup(runningApplier);
          await this.#settleCommits();
          return;
        }
        const item = this.#queue.shift();
        if (item) {
          await this.#process(item, runningApplier, identities);
          continue;
        }
        if (!this.#txn) await this.#commitGroup(runningApplier);
        // Idle: a good moment to wait for the commit in flight (and to see it fail).
        await this.#settleCommits();
        if (this.#queue.length > 0) continue;
        const drainTo = this.#control.drainTo?.();
        if (drainTo !== undefined) {
          const goal = lsnToBigInt(drainTo);
          if (this.#position >= goal || (!this.#txn && this.#tracker.caughtUpTo >= goal)) return;
          if (Date.now() - lastPing > 500) {
            lastPing = Date.now();
            // Ask for a keepalive: its position tells when everything before the goal was sent.
            await stream.sendStatus(this.#position, true);
          }
        }
        await this.#sleep(200);
      }
    } catch (error) {
      await applier?.rollback().catch(() => {});
      // Where the refused change lies: in the first transaction committed after the durable position.
      if (error instanceof ReplicationError && error.code === CODES.apply && error.details)
        Object.assign(error.details, { database, appliedUpTo: bigIntToLsn(this.#position) });
      throw error;
    } finally {
      this.#control.signal.removeEventListener('abort', onAbort);
      for (const timer of timers) clearInterval(timer);
      await Promise.all([stream.stop(), target.end().catch(() => {}), poller?.end().catch(() => {})]);
      this.#emitLag();
    }
  }

  /** Starts streaming from the durable position; each message is decoded as it arrives and queued. */
  #startStream(stream: ReplicationStream, decoder: Decoder): void {
    stream.start(this.#ctx.slotName, bigIntToLsn(this.#position), decoder.startOptions(), {
      data: (payload, lsn) => {
        try {
          const changes = decoder.decode(payload, lsn);
          // Per commit, not per message: the source position only matters between transactions.
          const last = changes[changes.length - 1];
          if (last?.kind === 'commit') this.#tracker.seeSource(last.endPosition ?? lsnToBigInt(last.endLsn));
          const tail = this.#queue[this.#queue.length - 1];
          if (tail?.type === 'data' && tail.changes.length < ITEM_MAX_CHANGES) {
            for (const change of changes) tail.changes.push(change);
            tail.messages++;
            tail.bytes += payload.length;
          } else this.#queue.push({ type: 'data', changes, messages: 1, bytes: payload.length });
          this.#queuedBytes += payload.length;
          this.#queuedMessages++;
          if (
            this.#queuedMessages >= this.#options.queueMaxMessages ||
            this.#queuedBytes >= this.#options.queueMaxBytes
          ) {
            this.#paused = true;
            stream.pause();
          }
          this.#kick();
        } catch (error) {
          this.#fail(error);
        }
      },
      keepalive: (lsn, shouldRespond) => {
        // Answered at once, with the durable position only; ordering with data is kept by the queue.
        if (shouldRespond) void stream.sendStatus(this.#position).catch((e) => this.#fail(e));
        this.#queue.push({ type: 'keepalive', lsn: lsnToBigInt(lsn) });
        this.#kick();
      },
      error: (error) =>
        this.#fail(
          new ReplicationError(CODES.stream, `replication stream failed: ${error.message}`, {
            cause: error,
            remedy: STREAM_REMEDY,
          }),
        ),
      ended: () =>
        this.#fail(
          new ReplicationError(CODES.stream, 'the source ended the replication stream', {
            remedy: STREAM_REMEDY,
          }),
        ),
    });
  }

  #emitLag(): void {
    const status = this.#tracker.status();
    this.#ctx.progress.emit({
      type: 'lag',
      database: this.#ctx.database.name,
      appliedLsn: status.appliedLsn,
      sourceLsn: status.sourceLsn,
      lagBytes: status.lagBytes.toString(),
      lagSeconds: status.lagSeconds,
      applyRate: status.applyRate,
      transactionsApplied: status.transactionsApplied,
    });
  }

  async #process(item: Item, applier: Applier, identities: SourceIdentities): Promise<void> {
    if (item.type === 'keepalive') {
      this.#tracker.seeSource(item.lsn);
      if (!this.#txn) {
        await this.#commitGroup(applier);
        if (item.lsn > this.#tracker.caughtUpTo) this.#tracker.caughtUpTo = item.lsn;
      }
      return;
    }
    for (const change of item.changes) {
      const slow = this.#handle(change, applier, identities);
      if (slow) await slow;
    }
    this.#queuedBytes -= item.bytes;
    this.#queuedMessages -= item.messages;
    if (
      this.#paused &&
      this.#queuedMessages <= this.#options.queueMaxMessages / 4 &&
      this.#queuedBytes <= this.#options.queueMaxBytes / 4
    ) {
      this.#paused = false;
      this.#stream?.resume();
    }
  }

  /**
   * Handles a change; returns a promise only when it had to wait for something. Most changes are
   * rows folded into the group at once, and not awaiting them keeps the loop fast.
   */
  #handle(change: Change, applier: Applier, identities: SourceIdentities): Promise<void> | undefined {
    if (!this.#truncates.pending) {
      if (change.kind === 'begin') {
        this.#beginTransaction(change);
        return undefined;
      }
      if (change.kind === 'commit') return this.#endTransaction(change, applier);
    }
    if (change.kind === 'insert' || change.kind === 'update' || change.kind === 'delete') {
      if (!this.#relationsAnnounced) this.#noticeNewColumns(change);
      const txn = this.#txn;
      if (txn && !txn.skip && !this.#truncates.pending && !isCaptureLog(change.relation)) {
        const identity = change.identity ?? identities.cached(change.relation);
        if (identity && applier.tryFold(change, identity)) {
          this.#group.changes++;
          return undefined;
        }
      }
    }
    return this.#handleInOrder(change, applier, identities);
  }

  /**
   * A column the target's table had not when it was read means the table changed (added on the
   * target, then on the source, as docs/incremental-sync.md says): read it again before applying.
   */
  #noticeNewColumns(change: InsertChange | UpdateChange | DeleteChange): void {
    const table = this.#catalog?.cached(change.relation);
    if (!table) return;
    const rows =
      change.kind === 'insert'
        ? [change.new]
        : change.kind === 'delete'
          ? [change.old]
          : [change.new, change.old];
    for (const row of rows)
      if (row)
        for (const name in row)
          if (!table.columns.has(name)) {
            this.#catalog?.forget(change.relation);
            return;
          }
  }

  #beginTransaction(change: BeginChange): void {
    if (this.#txn) throw new ReplicationError(CODES.decode, 'a transaction began inside another one');
    // Already applied: the stream may resend what committed before the durable position.
    const skip =
      (change.commitLsn !== undefined && lsnToBigInt(change.commitLsn) < this.#position) ||
      this.#inCopy(change);
    this.#txn = { skip, commitTimeUs: change.commitTimeUs };
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

  /** Ends a source transaction in the group; returns a promise only when the group commits. */
  #endTransaction(change: CommitChange, applier: Applier): Promise<void> | undefined {
    const txn = this.#txn;
    if (!txn) throw new ReplicationError(CODES.decode, 'a commit arrived outside a transaction');
    this.#txn = undefined;
    if (txn.skip) return undefined;
    const end = change.endPosition ?? lsnToBigInt(change.endLsn);
    if (end <= this.#lastSeenEnd)
      throw new ReplicationError(
        CODES.duplicate,
        `the source sent a transaction ending at ${change.endLsn}, at or before ${bigIntToLsn(this.#lastSeenEnd)} which is already applied`,
        { remedy: 'nothing was committed for it; report this as a bug' },
      );
    this.#lastSeenEnd = end;
    this.#group.transactions++;
    const commitTimeUs = change.commitTimeUs ?? txn.commitTimeUs;
    this.#tracker.received(end, commitTimeUs);
    this.#group.last = change.commitLsn
      ? { commitLsn: change.commitLsn, endLsn: change.endLsn, commitTimeUs }
      : { endLsn: change.endLsn, commitTimeUs };
    if (
      this.#group.changes >= this.#options.groupMaxChanges ||
      Date.now() - this.#group.startedAt >= this.#options.groupMaxMs
    )
      return this.#commitGroup(applier);
    return undefined;
  }

  async #handleInOrder(change: Change, applier: Applier, identities: SourceIdentities): Promise<void> {
    // Captured truncates (sources before 11) are gathered and applied before the next change.
    if (this.#truncates.take(change)) return;
    const truncate = this.#truncates.flush();
    if (truncate && this.#txn && !this.#txn.skip) {
      await applier.apply(truncate, undefined);
      this.#group.changes++;
    }
    switch (change.kind) {
      case 'begin':
        this.#beginTransaction(change);
        return;
      case 'relation':
        // pgoutput announces a relation again after its definition changed: re-read the target's.
        this.#catalog?.forget(change.relation);
        return;
      case 'commit':
        await this.#endTransaction(change, applier);
        return;
      default: {
        const txn = this.#txn;
        if (!txn) throw new ReplicationError(CODES.decode, 'a row change arrived outside a transaction');
        if (txn.skip) return;
        // Inserts need it too: the applier folds a table's changes per key when it may.
        const identity =
          change.kind === 'truncate'
            ? undefined
            : (change.identity ?? (await identities.of(change.relation)));
        await applier.apply(change, identity);
        this.#group.changes++;
      }
    }
  }

  /**
   * Sends the group's COMMIT and goes on with the next group while the target runs it. Only when
   * the COMMIT succeeded does the position move and the source hear of it (#committed); commits
   * complete in order, since the target session runs one script at a time.
   */
  async #commitGroup(applier: Applier): Promise<void> {
    const group = this.#group;
    const last = group.last;
    if (group.transactions === 0 || !last) return;
    this.#group = emptyGroup();
    const { done } = await applier.startCommit(last);
    const previous = this.#committing ?? Promise.resolve();
    const recorded = previous.then(() => done).then(() => this.#committed(last, group.transactions));
    // Surfaced by #settleCommits; this keeps a failure from being "unhandled" meanwhile.
    recorded.catch(() => {});
    this.#committing = recorded;
  }

  async #committed(last: NonNullable<Group['last']>, transactions: number): Promise<void> {
    this.#position = lsnToBigInt(last.endLsn);
    this.#tracker.applyGroup(this.#position, transactions);
    await this.#stream?.sendStatus(this.#position);
  }

  /** Waits until every group sent is committed and acknowledged; throws if a commit failed. */
  async #settleCommits(): Promise<void> {
    const committing = this.#committing;
    if (!committing) return;
    await committing;
    if (this.#committing === committing) this.#committing = undefined;
  }
}
