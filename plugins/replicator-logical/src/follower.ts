import {
  bigIntToLsn,
  lsnToBigInt,
  openClient,
  parseTxidSnapshot,
  type SequenceSettings,
  serverVersionNum,
  type TxidSnapshot,
  walInsertLsnSql,
} from '@pgshift/pg';
import type { FollowControl, ReplicationContext } from '@pgshift/plugin-api';
import type pg from 'pg';
import { Acknowledger } from './acknowledger.js';
import { readAppliedBeyond } from './applied-beyond.js';
import { Applier } from './applier.js';
import { ChangeRouter } from './change-router.js';
import { DdlReplay, type DdlReplayParts } from './ddl-replay.js';
import { type Decoder, decoderFor } from './decoders/index.js';
import { CODES, ReplicationError } from './errors.js';
import { FollowLoop } from './follow-loop.js';
import { FollowedTables } from './followed-tables.js';
import { GroupBuilder } from './group-builder.js';
import { intakeHandlers } from './intake.js';
import { LagReporter } from './lag-reporter.js';
import type { LagTracker } from './lag-tracker.js';
import { LoopSignal } from './loop-signal.js';
import type { FollowOptions } from './options.js';
import { parallelRefusal, setUpParallelApply } from './parallel-setup.js';
import { readPosition } from './progress-store.js';
import { publishableTables } from './publication.js';
import { ReceiveQueue } from './receive-queue.js';
import { waitForSlotInactive } from './slot-wait.js';
import { SourceIdentities } from './source-identity.js';
import { ReplicationStream } from './stream.js';
import { TargetCatalog } from './target-catalog.js';

/** The sessions one run opens, so that whatever was opened is closed however the run ends. */
interface Sessions {
  target: pg.Client;
  stream: ReplicationStream;
  applier?: Applier;
  /** What rolls back everything uncommitted when the run fails: the applier, or parallel apply. */
  rollback?: { rollback(): Promise<void> };
  /** Further target sessions (parallel apply). */
  extra: pg.Client[];
  /** The source session that polls its WAL position. */
  poller?: pg.Client;
}

/**
 * Where the run starts: the durable position, the copy's own snapshot if it had one, and the
 * transactions committed beyond the position by parallel apply sessions.
 */
interface Start {
  position: bigint;
  copied: TxidSnapshot | undefined;
  appliedBeyond: ReadonlySet<bigint>;
}

/**
 * One run of `follow`: sets up the stages (stream → decode → route and fold → apply →
 * acknowledge), runs the follow loop, and takes everything down again. It streams from the durable
 * position, applies in commit order in groups, and acknowledges the source only with what the
 * target has committed.
 */
export class Follower {
  readonly #ctx: ReplicationContext;
  readonly #control: FollowControl;
  readonly #options: FollowOptions;
  readonly #tracker: LagTracker;
  readonly #signal = new LoopSignal();
  readonly #lag: LagReporter;

  constructor(ctx: ReplicationContext, control: FollowControl, options: FollowOptions, tracker: LagTracker) {
    this.#ctx = ctx;
    this.#control = control;
    this.#options = options;
    this.#tracker = tracker;
    this.#lag = new LagReporter(ctx, tracker);
  }

  async run(): Promise<void> {
    const ctx = this.#ctx;
    const database = ctx.database.name;
    const start = await this.#start();
    const sessions: Sessions = {
      target: await openClient(ctx.target.route.connection({ database }), 'pgshift-apply'),
      stream: new ReplicationStream(ctx.source.route.connection({ database, replication: true })),
      extra: [],
    };
    // An idle apply session would learn that the target went away only when next used, which with
    // a quiet source can be never: its connection's error ends the loop now, and the reconnect
    // policy takes over as for any lost connection.
    sessions.target.on('error', (error) => this.#signal.fail(error));
    const ack = new Acknowledger(sessions.stream, this.#tracker, start.position);
    const timers: NodeJS.Timeout[] = [];
    const onAbort = () => this.#signal.kick();
    this.#control.signal.addEventListener('abort', onAbort);
    try {
      const loop = await this.#setUp(sessions, ack, start, timers);
      await loop.run();
    } catch (error) {
      await (sessions.rollback ?? sessions.applier)?.rollback().catch(() => {});
      // Where the refused change lies: in the first transaction committed after the durable position.
      if (error instanceof ReplicationError && error.code === CODES.apply && error.details)
        Object.assign(error.details, { database, appliedUpTo: bigIntToLsn(ack.position) });
      throw error;
    } finally {
      this.#control.signal.removeEventListener('abort', onAbort);
      for (const timer of timers) clearInterval(timer);
      await Promise.all([
        sessions.stream.stop(),
        sessions.target.end().catch(() => {}),
        ...sessions.extra.map((client) => client.end().catch(() => {})),
        sessions.poller?.end().catch(() => {}),
      ]);
      this.#lag.emit();
    }
  }

  /** Reads the durable position recorded on the target; following cannot start without one. */
  async #start(): Promise<Start> {
    const ctx = this.#ctx;
    const stored = await readPosition(ctx);
    if (!stored)
      throw new ReplicationError(
        CODES.stream,
        `no apply position is recorded on the target for slot ${ctx.slotName}`,
        { remedy: 'record the slot consistent point with initPosition after the full copy' },
      );
    const position = lsnToBigInt(stored.endLsn);
    this.#tracker.applied = position;
    this.#tracker.seeSource(position);
    return {
      position,
      copied: stored.copiedSnapshot ? parseTxidSnapshot(stored.copiedSnapshot) : undefined,
      appliedBeyond: await readAppliedBeyond(ctx, position),
    };
  }

  /**
   * The target session and the source side are set up side by side; the stream starts as soon as
   * the slot is free (its data waits in the queue until the applier is ready). Both settle before
   * going on, so a failure of one never leaves the other running unowned.
   */
  async #setUp(sessions: Sessions, ack: Acknowledger, start: Start, timers: NodeJS.Timeout[]) {
    const ctx = this.#ctx;
    const options = this.#options;
    const decoder = decoderFor(ctx.decoder, ctx.publicationName);
    const queue = new ReceiveQueue(
      { maxMessages: options.queueMaxMessages, maxBytes: options.queueMaxBytes },
      sessions.stream,
    );
    const [targetSide, sourceSide] = await Promise.allSettled([
      this.#setUpTarget(sessions),
      this.#setUpSource(sessions, decoder, queue, ack),
    ]);
    if (targetSide.status === 'rejected') throw targetSide.reason;
    if (sourceSide.status === 'rejected') throw sourceSide.reason;
    const { applier, catalog } = targetSide.value;
    const poller = sourceSide.value;
    timers.push(
      setInterval(() => void ack.report().catch(() => {}), options.statusIntervalMs),
      // The insert position counts commits not yet written out (synchronous_commit = off).
      this.#lag.poll(poller.client, walInsertLsnSql(poller.version), options.lagIntervalMs),
    );
    const identities = new SourceIdentities(ctx);
    // Leaf partitions are what the stream names; a whole database needs no list.
    const followed = new FollowedTables(ctx.database, ctx.database.whole ? [] : await publishableTables(ctx));
    const [control, signal, tracker] = [this.#control, this.#signal, this.#tracker];
    const throttle = ctx.throttle;
    const refused = parallelRefusal(options, decoder.format, start.copied !== undefined, applier.folding);
    if (refused) ctx.logger.info(`applying with one target session: ${refused}`);
    else if (options.applySessions > 1) {
      const parallel = await setUpParallelApply({
        ctx,
        options,
        tracker,
        position: start.position,
        appliedBeyond: start.appliedBeyond,
        first: { client: sessions.target, applier, catalog },
        identities,
        followed,
        ack,
        ddl: ctx.ddl
          ? (stages) =>
              this.#ddlReplay({
                ...stages,
                identities,
                followed,
                commitWholeTransactions: stages.commitNow,
              })
          : undefined,
        opened: sessions.extra,
        fail: (error) => this.#signal.fail(error),
      });
      sessions.rollback = parallel;
      // Parallel apply stands in for the group builder, router, applier and acknowledger.
      const stages = { groups: parallel, router: parallel, applier: parallel, ack: parallel };
      return new FollowLoop({ control, signal, queue, ...stages, tracker, throttle });
    }
    const groups = new GroupBuilder(options, this.#tracker, start);
    const commitWholeTransactions = () => router.commitNow();
    const router: ChangeRouter = new ChangeRouter({
      applier,
      catalog,
      identities,
      groups,
      ack,
      followed,
      ...(ctx.ddl
        ? {
            ddl: this.#ddlReplay({ applier, identities, catalog, groups, followed, commitWholeTransactions }),
          }
        : {}),
      relationsAnnounced: decoder.format === 'pgoutput',
    });
    return new FollowLoop({ control, signal, queue, groups, router, applier, ack, tracker, throttle });
  }

  #ddlReplay(
    stages: Pick<
      DdlReplayParts,
      'applier' | 'identities' | 'catalog' | 'groups' | 'followed' | 'commitWholeTransactions'
    >,
  ): DdlReplay {
    const ctx = this.#ctx;
    const database = ctx.database.name;
    return new DdlReplay({
      ...stages,
      handling: ctx.ddl ?? { policy: 'ignore' },
      database,
      slotName: ctx.slotName,
      runAlone: async (texts) => {
        const session = await ctx.target.connect({ database });
        try {
          for (const text of texts) await session.query(text);
          return undefined;
        } catch (error) {
          const { code, message } = error as { code?: string; message: string };
          return code === undefined ? { message } : { code, message };
        } finally {
          await session.close();
        }
      },
      logger: ctx.logger,
      progress: ctx.progress,
      targetVersion: stages.applier.targetVersion,
      sourceSequence: async (identity) => {
        if ((await ctx.source.version()).num >= 100000) return undefined;
        const { rows } = await ctx.source.query<SequenceSettings>(
          `SELECT start_value::text AS start, increment_by::text AS increment, min_value::text AS min,
                  max_value::text AS max, cache_value::text AS cache, is_cycled AS cycle FROM ${identity}`,
          [],
          { database },
        );
        return rows[0];
      },
    });
  }

  /** The apply session, opened, with the catalog of the target's tables. */
  async #setUpTarget(sessions: Sessions): Promise<{ applier: Applier; catalog: TargetCatalog }> {
    const ctx = this.#ctx;
    const catalog = new TargetCatalog(sessions.target, await serverVersionNum(sessions.target));
    const applier = new Applier(sessions.target, catalog, ctx.slotName, this.#options, ctx.logger);
    sessions.applier = applier;
    await applier.open();
    return { applier, catalog };
  }

  /** Waits for the slot, prepares the decoder and starts the stream from the durable position. */
  async #setUpSource(
    sessions: Sessions,
    decoder: Decoder,
    queue: ReceiveQueue,
    ack: Acknowledger,
  ): Promise<{ client: pg.Client; version: number }> {
    const ctx = this.#ctx;
    const client = await openClient(
      ctx.source.route.connection({ database: ctx.database.name }),
      'pgshift-lag',
    );
    sessions.poller = client;
    const version = await serverVersionNum(client);
    await waitForSlotInactive(client, version, ctx.slotName, this.#options.slotWaitMs);
    await decoder.prepare?.(client, ctx);
    const signal = this.#signal;
    const handlers = intakeHandlers({
      decoder,
      queue,
      tracker: this.#tracker,
      answer: () => void ack.report().catch((e) => signal.fail(e)),
      wake: () => signal.kick(),
      fail: (error) => signal.fail(error),
    });
    sessions.stream.start(ctx.slotName, bigIntToLsn(ack.position), decoder.startOptions(), handlers);
    return { client, version };
  }
}
