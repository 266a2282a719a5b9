import type { CopySummary, ProgressSink, ResolvedDatabase, TableRef } from '@pgshift/plugin-api';
import { localDirs } from './local-dirs.js';
import type { PgTaskStore, ShareJob } from './pg-task-store.js';
import type { TaskRecord } from './task-record.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Spreads one database's copy over other workers: copies a share with `copyLocal` (a database
 * narrowed to some tables, same snapshot) and has the rest copied elsewhere before resolving.
 */
export type CopyShare = (args: {
  database: ResolvedDatabase;
  snapshot: string;
  copyLocal: (database: ResolvedDatabase) => Promise<CopySummary>;
}) => Promise<CopySummary>;

/** What a helper worker needs to copy one share of another worker's task. */
export interface ShareCopy {
  /** The task's record, whose stored config the helper loads. */
  record: TaskRecord;
  job: ShareJob;
  scratchDir: string;
  /** The helper's own run directory for the task (never the coordinator's). */
  runDir: string;
  progress?: ProgressSink;
  signal?: AbortSignal;
  /** To call once the share's tables are copied, before the task's connections close. */
  copied: () => Promise<void>;
}

const FINAL_JOB_STATES = new Set(['completed', 'failed', 'cancelled']);

function tableText(t: TableRef): string {
  return `${t.schema}.${t.name}`;
}

function narrowed(database: ResolvedDatabase, tables: TableRef[]): ResolvedDatabase {
  return { name: database.name, whole: false, tables };
}

async function recordShare(
  store: PgTaskStore,
  task: string,
  database: string,
  tables: TableRef[],
  worker: string,
) {
  await store.update(task, (r) => {
    r.copyShares = [
      ...(r.copyShares ?? []),
      { database, tables: tables.map(tableText), worker, at: new Date().toISOString() },
    ];
  });
}

function merge(summaries: CopySummary[]): CopySummary {
  return {
    tables: summaries.reduce((s, c) => s + c.tables, 0),
    rows: summaries.reduce((s, c) => s + c.rows, 0),
    bytes: summaries.reduce((s, c) => s + c.bytes, 0),
    skipped: summaries.reduce((s, c) => s + c.skipped, 0),
    consistent: summaries.every((c) => c.consistent),
  };
}

/**
 * Splits a database's tables into `parts` shares: the others go to the shared queue for idle
 * workers, this worker copies the first. Every share reads the snapshot the coordinator's slot
 * keeps alive, and chunk marks on the target make each share resumable: once a helper's share has
 * ended (or was never taken) the coordinator runs it too, which copies only what is not done yet
 * (nothing after a helper succeeded) and builds any indexes still missing.
 */
export function pgCopyShare(
  store: PgTaskStore,
  task: string,
  workerId: string,
  parts: number,
  staleMs = 20_000,
): CopyShare {
  return async ({ database, snapshot, copyLocal }) => {
    const count = Math.min(parts, database.tables.length);
    if (count < 2) return copyLocal(database);
    const shares: TableRef[][] = Array.from({ length: count }, () => []);
    database.tables.forEach((t, i) => {
      shares[i % count]?.push(t);
    });
    const [mine = [], ...others] = shares;
    const published: { id: string; tables: TableRef[] }[] = [];
    for (const tables of others) {
      const job: ShareJob = { task, database: database.name, tables, snapshot, coordinator: workerId };
      published.push({ id: await store.publishShare(job), tables });
    }
    const summaries = [await copyLocal(narrowed(database, mine))];
    await recordShare(store, task, database.name, mine, workerId);
    for (const share of published) {
      if (await store.takeBackShare(share.id)) {
        summaries.push(await copyLocal(narrowed(database, share.tables)));
        await recordShare(store, task, database.name, share.tables, workerId);
        continue;
      }
      for (;;) {
        const job = await store.shareState(share.id);
        if (job === undefined || FINAL_JOB_STATES.has(job.state)) break;
        // A helper silent this long is taken to be dead: its share continues here from the chunk
        // marks. Were it alive after all, a chunk both copy commits once (its mark is a
        // compare-and-set) and the loser fails rather than duplicating rows.
        if (job.state === 'active' && job.silentMs > staleMs) break;
        await sleep(300);
      }
      summaries.push(await copyLocal(narrowed(database, share.tables)));
    }
    return merge(summaries);
  };
}

/** A helper's side: copies one share of another worker's task, under that task's snapshot. */
export async function runShare(
  store: PgTaskStore,
  jobId: string,
  job: ShareJob,
  workerId: string,
  copy: (share: ShareCopy) => Promise<void>,
  options: { workDir?: string; progress?: ProgressSink; signal?: AbortSignal },
): Promise<void> {
  const beat = setInterval(() => {
    store.beatShare(jobId).catch(() => {});
  }, 1000);
  try {
    const record = await store.get(job.task);
    if (!record) throw new Error(`task ${job.task} is not in the store`);
    const dirs = localDirs(store, job.task, options.workDir);
    await copy({
      record,
      job,
      scratchDir: dirs.scratch,
      runDir: `${dirs.run}-share`,
      ...(options.progress ? { progress: options.progress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      copied: () => recordShare(store, job.task, job.database, job.tables, workerId),
    });
  } finally {
    clearInterval(beat);
  }
}
