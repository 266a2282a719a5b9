import type { CopySummary, LoadContext, ProgressSink, ResolvedDatabase, TableRef } from '@pgshift/plugin-api';
import { nullProgress } from '@pgshift/plugin-api';
import type { LoadTaskOptions } from '../loaded-task.js';
import type { CopyShare } from '../orchestrator/run-context.js';
import { localDirs } from './local-dirs.js';
import type { PgTaskStore, ShareJob } from './pg-task-store.js';
import { loadStoredTask } from './stored-config.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
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
  options: { workDir?: string; loadOptions?: LoadTaskOptions; progress?: ProgressSink; signal?: AbortSignal },
): Promise<void> {
  const beat = setInterval(() => {
    store.beatShare(jobId).catch(() => {});
  }, 1000);
  try {
    await copyShareHere(store, job, workerId, options);
  } finally {
    clearInterval(beat);
  }
}

async function copyShareHere(
  store: PgTaskStore,
  job: ShareJob,
  workerId: string,
  options: { workDir?: string; loadOptions?: LoadTaskOptions; progress?: ProgressSink; signal?: AbortSignal },
): Promise<void> {
  const record = await store.get(job.task);
  if (!record) throw new Error(`task ${job.task} is not in the store`);
  const dirs = localDirs(store, job.task, options.workDir);
  const task = await loadStoredTask(record, dirs.scratch, `${dirs.run}-share`, options.loadOptions ?? {});
  try {
    const [source, target] = [await task.openServer('source'), await task.openServer('target')];
    const { options: taskOptions } = task.config;
    const ctx: LoadContext = {
      source,
      target,
      database: { name: job.database, whole: false, tables: job.tables },
      snapshot: job.snapshot,
      jobs: taskOptions.jobs,
      options: {
        ...taskOptions,
        copyOwners: taskOptions.copyOwners,
        copyPrivileges: taskOptions.copyPrivileges,
        // A helper never starts a new snapshot: without the coordinator's, it fails and the
        // coordinator copies the share itself.
        onLostSnapshot: 'fail',
        splitTableBytes: taskOptions.splitTableBytes,
        taskName: task.config.task.name,
      },
      progress: options.progress ?? nullProgress,
      logger: task.logger.child({ database: job.database, share: true }),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    await task.loader().copyData(ctx);
    await recordShare(store, job.task, job.database, job.tables, workerId);
  } finally {
    await task.close();
  }
}
