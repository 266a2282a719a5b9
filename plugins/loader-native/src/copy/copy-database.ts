import {
  applyFixedSettings,
  binaryCopyable,
  type ChunkSpec,
  CopyError,
  type ExportedSnapshot,
  emptyForFreeze,
  exportSnapshot,
  importSnapshot,
  inTransaction,
  majorVersion,
  pumpChunk,
  readTableInventory,
  SnapshotLostError,
  serverVersionNum,
  snapshotAlive,
  type TableInfo,
} from '@pgshift/pg';
import type {
  CopySummary,
  Logger,
  LostSnapshotChoice,
  ProgressSink,
  TableRef,
  Throttle,
} from '@pgshift/plugin-api';
import { nullProgress, PgshiftError, silentLogger } from '@pgshift/plugin-api';
import type pg from 'pg';
import { planChunks } from './plan.js';
import { PostDataLane } from './post-data-lane.js';
import { ProgressStore, type StoredChunk, type StoredState } from './progress-store.js';
import { CopyProgress } from './throttled-progress.js';

export type ClientOpener = () => Promise<pg.Client>;

export interface CopyDatabaseOptions {
  /** Opens a session to the source database. */
  openSource: ClientOpener;
  /** Opens a session to the target database (its schema's pre-data already applied). */
  openTarget: ClientOpener;
  database: string;
  /** Names the run in the progress table, so two tasks into one target database do not mix. */
  task?: string;
  /** Tables to copy; absent = every table of the database. */
  tables?: readonly TableRef[];
  /** An exported snapshot to read; absent = export one and hold it for the copy's duration. */
  snapshot?: string;
  jobs: number;
  splitTableBytes: number;
  onLostSnapshot: LostSnapshotChoice;
  /**
   * A table's index builds, once its data is in: each runs in a session of its own, side by side
   * with others, and must be idempotent (`CREATE INDEX IF NOT EXISTS`), since a crash may stop the
   * table between them.
   */
  tableIndexBuilds?: (tableKey: string) => ReadonlyArray<(target: pg.Client) => Promise<void>>;
  /**
   * The rest of a table's indexes and constraints, once its builds are in, inside a transaction
   * that also records it done; runs on connections of its own while other tables copy.
   */
  tablePostData?: (tableKey: string, target: pg.Client) => Promise<void>;
  /** Post-data sessions while tables still copy; default half of `jobs`, at least 1. */
  postDataJobs?: number;
  progress?: ProgressSink;
  progressIntervalMs?: number;
  logger?: Logger;
  signal?: AbortSignal;
  /** The task's copy limit, shared by every worker: rows and COPY bytes read from the source. */
  throttle?: Throttle;
  /** Test seams: called after a chunk's rows are in the target transaction, and after its commit. */
  hooks?: {
    chunkCopied?: (chunk: ChunkSpec) => Promise<void> | void;
    chunkCommitted?: (chunk: ChunkSpec) => Promise<void> | void;
  };
}

export interface CopyDatabaseResult extends CopySummary {
  snapshot: string;
  chunks: number;
  /** Chunks found done by an earlier run and not copied again. */
  chunksSkipped: number;
}

/**
 * Copies a database's rows with `jobs` workers, all reading one snapshot, each chunk committed on
 * the target together with its progress mark. Reruns continue where an interrupted run stopped.
 */
export async function copyDatabase(options: CopyDatabaseOptions): Promise<CopyDatabaseResult> {
  const logger = options.logger ?? silentLogger;
  const task = options.task ?? '';
  const admin = await options.openTarget();
  let sourceAdmin: pg.Client | undefined;
  let exported: ExportedSnapshot | undefined;
  try {
    sourceAdmin = await options.openSource();
    await applyFixedSettings(sourceAdmin);
    const store = new ProgressStore(admin, task, options.database);
    await store.ensure();
    const tables = await readTableInventory(sourceAdmin, options.tables);
    const byKey = new Map(tables.map((t) => [t.key, t]));
    const planOptions = {
      splitTableBytes: options.splitTableBytes,
      sourceVersionNum: await serverVersionNum(sourceAdmin),
    };
    const sameMajor =
      majorVersion(planOptions.sourceVersionNum) === majorVersion(await serverVersionNum(admin));
    const fresh = async () => {
      if (options.snapshot) return options.snapshot;
      exported = await exportSnapshot(options.openSource);
      return exported.name;
    };

    let state = await store.load();
    let snapshot: string;
    let consistent = true;
    if (!state) {
      snapshot = await fresh();
      await store.savePlan(await planChunks(sourceAdmin, tables, planOptions), snapshot, true);
      state = (await store.load()) as StoredState;
    } else {
      const planned = new Set(state.chunks.map((c) => c.table));
      const added = tables.filter((t) => !planned.has(t.key));
      if (added.length > 0) {
        await store.savePlan(await planChunks(sourceAdmin, added, planOptions), null, false);
        state = (await store.load()) as StoredState;
      }
      consistent = state.consistent;
      const remaining = state.chunks.filter((c) => !c.done);
      const anyDone = state.chunks.some((c) => c.done);
      if (remaining.length === 0) {
        snapshot = state.snapshot ?? '';
      } else if (state.snapshot && (await snapshotAlive(options.openSource, state.snapshot))) {
        snapshot = state.snapshot;
      } else if (!anyDone) {
        // Nothing was copied under the old snapshot: a new one mixes nothing.
        snapshot = await fresh();
        await store.setSnapshot(snapshot, consistent);
      } else {
        const lost = state.snapshot ?? '(none recorded)';
        if (options.onLostSnapshot === 'fail') throw new SnapshotLostError(lost, options.database);
        const redo =
          options.onLostSnapshot === 'restart'
            ? [...new Set(state.chunks.map((c) => c.table))]
            : partlyCopiedCtidTables(state.chunks);
        await truncateAndReset(
          admin,
          store,
          redo.filter((k) => byKey.has(k)),
        );
        snapshot = await fresh();
        consistent = options.onLostSnapshot === 'restart';
        await store.setSnapshot(snapshot, consistent);
        const text =
          options.onLostSnapshot === 'restart'
            ? `snapshot ${lost} is gone: the copied tables were emptied and the copy starts again under a new snapshot`
            : `snapshot ${lost} is gone: continuing under a new snapshot; the data is not one point in time ` +
              `(${redo.length} partly copied table(s) are copied again)`;
        logger.warn(text, { database: options.database });
        (options.progress ?? nullProgress).emit({ type: 'message', level: 'warn', text });
        state = (await store.load()) as StoredState;
      }
    }

    const result = await runChunks(options, store, state, byKey, snapshot, sameMajor);
    // The sessions committed without waiting for the WAL flush; the caller may record the copy as
    // done outside this database (the task's state), so it must not outlive a target crash.
    await store.flushCommits();
    return { ...result, consistent, snapshot };
  } finally {
    await exported?.release();
    await sourceAdmin?.end().catch(() => {});
    await admin.end().catch(() => {});
  }
}

/** ctid chunks cannot continue under another snapshot: an updated row may move to another page range. */
function partlyCopiedCtidTables(chunks: StoredChunk[]): string[] {
  const partial = new Set<string>();
  for (const c of chunks) {
    if (c.kind !== 'ctid') continue;
    const siblings = chunks.filter((s) => s.table === c.table);
    if (siblings.some((s) => s.done) && siblings.some((s) => !s.done)) partial.add(c.table);
  }
  return [...partial];
}

async function truncateAndReset(admin: pg.Client, store: ProgressStore, tables: string[]): Promise<void> {
  if (tables.length === 0) return;
  await inTransaction(admin, async () => {
    // ONLY: a parent's children are emptied as tables of their own when they are in the list, and
    // a foreign table among them holds rows of another server that are not the copy's to remove.
    await admin.query(`TRUNCATE ${tables.map((t) => `ONLY ${t}`).join(', ')}`);
    await store.resetTables(tables);
  });
}

async function runChunks(
  options: CopyDatabaseOptions,
  store: ProgressStore,
  state: StoredState,
  byKey: Map<string, TableInfo>,
  snapshot: string,
  sameMajor: boolean,
): Promise<Omit<CopyDatabaseResult, 'consistent' | 'snapshot'>> {
  const chunks = state.chunks.filter((c) => byKey.has(c.table));
  const queue = chunks.filter((c) => !c.done);
  const toCopy = queue.length;
  const progress = new CopyProgress(
    options.progress ?? nullProgress,
    options.database,
    options.progressIntervalMs,
  );
  const remaining = new Map<string, number>();
  for (const [key, table] of byKey) {
    const mine = chunks.filter((c) => c.table === key);
    const left = mine.filter((c) => !c.done).length;
    remaining.set(key, left);
    const doneRows = mine.filter((c) => c.done).reduce((sum, c) => sum + c.rows, 0);
    const doneBytes = mine.filter((c) => c.done).reduce((sum, c) => sum + c.bytes, 0);
    progress.table(key, table.bytes, doneRows, doneBytes, left === 0);
  }
  const skipped = [...remaining.values()].filter((n) => n === 0).length;

  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
  };
  const postData = new PostDataLane(options, store, fail);
  for (const [key, left] of remaining) if (left === 0 && !state.postDataDone.has(key)) postData.push(key);

  const worker = async () => {
    let source: pg.Client | undefined;
    let target: pg.Client | undefined;
    try {
      while (failure === undefined && !options.signal?.aborted) {
        const chunk = queue.shift();
        if (!chunk) break;
        const table = byKey.get(chunk.table) as TableInfo;
        if (!source) {
          source = await options.openSource();
          await applyFixedSettings(source);
          await importSnapshot(source, snapshot);
        }
        if (!target) {
          target = await options.openTarget();
          await applyFixedSettings(target);
          // Safe: a chunk and its mark commit together or not at all, with or without a flush.
          await target.query('SET synchronous_commit = off');
        }
        let streamed = 0;
        let rows: number;
        // Not inTransaction: a failure must end the source first (it is stuck mid-COPY), and
        // whether ROLLBACK succeeds decides if the target session can serve the next chunk.
        try {
          await target.query('BEGIN');
          const freeze = chunk.kind === 'whole' && (await emptyForFreeze(target, table));
          const binary = binaryCopyable(table, sameMajor);
          const copied = await pumpChunk(
            source,
            target,
            table,
            chunk,
            (n) => {
              streamed += n;
              progress.bytes(chunk.table, n);
            },
            { binary, freeze },
            options.throttle,
          );
          rows = copied.rows;
          await options.hooks?.chunkCopied?.(chunk);
          const marked = await ProgressStore.markChunkDone(target, store, chunk, { ...copied, snapshot });
          if (!marked)
            throw new Error('another run marked this chunk done meanwhile; two runs must not overlap');
          await target.query('COMMIT');
        } catch (error) {
          progress.undo(chunk.table, streamed);
          // A failed target leaves the source mid-COPY (stuck): end it. The target's transaction is
          // rolled back; if even that fails the session is ended, which rolls back too.
          await source.end().catch(() => {});
          source = undefined;
          const t = target;
          target = undefined;
          const rolledBack = await t.query('ROLLBACK').then(
            () => true,
            () => false,
          );
          if (rolledBack) target = t;
          else await t.end().catch(() => {});
          throw new CopyError(chunk.table, chunk.chunk, error);
        }
        progress.rows(chunk.table, rows);
        await options.hooks?.chunkCommitted?.(chunk);
        const left = (remaining.get(chunk.table) ?? 1) - 1;
        remaining.set(chunk.table, left);
        if (left === 0) {
          progress.done(chunk.table);
          postData.push(chunk.table);
        }
      }
    } catch (error) {
      fail(error);
    } finally {
      if (source) {
        // Ends the snapshot transaction importSnapshot began (see there why it is no inTransaction).
        await source.query('ROLLBACK').catch(() => {});
        await source.end().catch(() => {});
      }
      await target?.end().catch(() => {});
    }
  };

  const workers = Math.max(1, Math.min(options.jobs, toCopy));
  await Promise.all(Array.from({ length: workers }, worker));
  await postData.finish();
  progress.flush();
  if (failure !== undefined) throw failure;
  if (options.signal?.aborted) {
    throw new PgshiftError('PGSHIFT_ABORTED', `the copy of database ${options.database} was stopped`, {
      remedy: 'run again to continue; finished chunks are kept',
    });
  }
  const totals = progress.totals();
  return {
    tables: byKey.size,
    rows: totals.rows,
    bytes: totals.bytes,
    skipped,
    chunks: chunks.length,
    chunksSkipped: chunks.length - toCopy,
  };
}
