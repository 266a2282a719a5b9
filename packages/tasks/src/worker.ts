import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ProgressEventInput, ProgressSink } from '@pgshift/plugin-api';
import { pause } from './abortable-pause.js';
import { pgCopyShare, runShare } from './copy-share.js';
import { localDirs } from './local-dirs.js';
import { PgTaskStore } from './pg-task-store.js';
import { StoreStateDir } from './store-state-dir.js';
import { tableCopies } from './table-copies.js';
import {
  ACTIVE_STATUSES,
  type TaskLive,
  type TaskRecord,
  transition,
  WAITING_STATUSES,
} from './task-record.js';
import type { TaskRunner, TaskRunOutcome } from './task-runner.js';
import { storedChecks } from './task-service.js';
import type { TaskState } from './task-state.js';
import type { ClaimedTask, ClaimOptions, TaskStore } from './task-store.js';

export interface WorkerOptions {
  store: TaskStore;
  /** Runs each task this worker takes (the kernel's runner loads its plugins and runs it). */
  runner: TaskRunner;
  /** Tasks run at the same time by this worker (default 1: one after another). */
  concurrency?: number;
  /** Exit once no task is running here and none is waiting (scheduled ones are waited for). */
  once?: boolean;
  /** Exit after this long with nothing to run. */
  idleExitMs?: number;
  pollMs?: number;
  /** A claim without a heartbeat for this long belongs to a dead worker (default 20 s). */
  staleMs?: number;
  workDir?: string;
  /** Masks secrets in an error message before it is stored in the record. */
  redact?: (text: string) => string;
  /** Stops the worker: running tasks stop cleanly and go back to the queue. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Where each run's progress events go (besides the store). */
  progress?: (task: string) => ProgressSink;
  /**
   * With the PostgreSQL store: split each database's copy into this many shares, which idle
   * workers take (default 1: no split). Idle workers of that store always help.
   */
  copyShares?: number;
}

export interface WorkerSummary {
  workerId: string;
  ran: { task: string; status: string }[];
}

/** Runs due tasks from the store, earliest start first, `concurrency` at a time. */
export async function serveTasks(options: WorkerOptions): Promise<WorkerSummary> {
  const { store } = options;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const pollMs = options.pollMs ?? 1000;
  const log = options.log ?? (() => {});
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const claimOptions = (): ClaimOptions => ({
    workerId,
    host: hostname(),
    pid: process.pid,
    staleMs: options.staleMs ?? 20_000,
  });
  const summary: WorkerSummary = { workerId, ran: [] };
  const active = new Map<string, Promise<void>>();
  let idleSince = Date.now();
  let wake: (() => void) | undefined;

  log(`worker ${workerId} serving ${store.description}, ${concurrency} at a time`);
  while (!options.signal?.aborted) {
    if (active.size < concurrency) {
      const claimed = await store.claimNext(claimOptions());
      if (claimed) {
        const name = claimed.record.name;
        log(`task ${name}: ${claimed.takeover ? 'resuming (its worker is gone)' : 'starting'}`);
        const done = runClaimed(claimed, workerId, options)
          .then((status) => {
            summary.ran.push({ task: name, status });
            log(`task ${name}: ${status}`);
          })
          .catch((error: unknown) => log(`task ${name}: worker error ${String(error)}`))
          .finally(() => {
            active.delete(name);
            idleSince = Date.now();
            wake?.();
          });
        active.set(name, done);
        continue;
      }
      if (store instanceof PgTaskStore) {
        const share = await store.fetchShare();
        if (share) {
          const key = `share:${share.id}`;
          log(
            `task ${share.data.task}: copying a share of database ${share.data.database} (${share.data.tables.length} tables)`,
          );
          const done = runShare(store, share.id, share.data, workerId, (s) => options.runner.copyShare(s), {
            ...(options.workDir ? { workDir: options.workDir } : {}),
            ...(options.progress ? { progress: options.progress(share.data.task) } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
          })
            .then(
              async () => {
                await store.endShare(share.id, true);
                log(`task ${share.data.task}: share of ${share.data.database} copied`);
              },
              async (error: unknown) => {
                await store.endShare(share.id, false).catch(() => {});
                log(
                  `task ${share.data.task}: share of ${share.data.database} failed (its coordinator copies it): ${String((error as Error)?.message ?? error)}`,
                );
              },
            )
            .finally(() => {
              active.delete(key);
              idleSince = Date.now();
              wake?.();
            });
          active.set(key, done);
          continue;
        }
      }
    }
    if (active.size === 0) {
      if (options.once && !(await anythingWaiting(store, claimOptions()))) break;
      if (options.idleExitMs !== undefined && Date.now() - idleSince >= options.idleExitMs) break;
    } else {
      idleSince = Date.now();
    }
    await Promise.race([
      pause(pollMs, options.signal),
      new Promise<void>((resolve) => {
        wake = resolve;
      }),
    ]);
  }
  await Promise.allSettled(active.values());
  return summary;
}

/** Whether some task waits for a worker, or runs under a worker that may yet die. */
async function anythingWaiting(store: TaskStore, claim: ClaimOptions): Promise<boolean> {
  const records = await store.list();
  return records.some(
    (r) =>
      WAITING_STATUSES.includes(r.status) ||
      (ACTIVE_STATUSES.includes(r.status) && r.worker?.id !== claim.workerId),
  );
}

/** Puts the stored copy of the run state in the local state directory unless it has a newer one. */
function rehydrate(runDir: string, stored: TaskState | undefined): TaskState | undefined {
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const file = join(runDir, 'state.json');
  let local: TaskState | undefined;
  if (existsSync(file)) {
    try {
      local = JSON.parse(readFileSync(file, 'utf8')) as TaskState;
    } catch {
      local = undefined;
    }
  }
  if (stored && (!local || local.updatedAt < stored.updatedAt)) {
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`);
    return stored;
  }
  return local;
}

/** Collects copy figures from progress events for `task show`. */
function copyTracker() {
  const perDatabase = new Map<string, Omit<NonNullable<TaskLive['copy']>, 'tables'>>();
  const tables = tableCopies();
  return {
    sink: {
      emit(event: ProgressEventInput) {
        if (event.type === 'table-progress') tables.add(event);
        if (event.type !== 'copy-progress') return;
        const key = event.database ?? '';
        const startedAt = perDatabase.get(key)?.startedAt ?? new Date().toISOString();
        perDatabase.set(key, {
          rows: event.rows,
          bytes: event.bytes,
          totalBytes: event.totalBytes,
          tablesDone: event.tablesDone,
          tablesTotal: event.tablesTotal,
          startedAt,
        });
      },
    } satisfies ProgressSink,
    total(): TaskLive['copy'] {
      if (perDatabase.size === 0) return undefined;
      const all = [...perDatabase.values()];
      const perTable = tables.list();
      return {
        rows: all.reduce((s, c) => s + c.rows, 0),
        bytes: all.reduce((s, c) => s + c.bytes, 0),
        totalBytes: all.reduce((s, c) => s + c.totalBytes, 0),
        tablesDone: all.reduce((s, c) => s + c.tablesDone, 0),
        tablesTotal: all.reduce((s, c) => s + c.tablesTotal, 0),
        startedAt: all.map((c) => c.startedAt).sort()[0] ?? new Date().toISOString(),
        ...(perTable ? { tables: perTable } : {}),
      };
    },
  };
}

/** Runs one claimed task to its end (or a clean stop) and records the outcome. */
async function runClaimed(claimed: ClaimedTask, workerId: string, options: WorkerOptions): Promise<string> {
  const { store } = options;
  const name = claimed.record.name;
  const dirs = localDirs(store, name, options.workDir);
  const controller = new AbortController();
  const onStop = () => controller.abort();
  options.signal?.addEventListener('abort', onStop, { once: true });
  let cancelledByUser = false;
  let lostClaim = false;
  const copy = copyTracker();
  let stateDir: StoreStateDir | undefined;

  const heartbeat = setInterval(
    () => {
      store
        .update(name, (r) => {
          if (r.worker?.id !== workerId) {
            lostClaim = true;
            return false;
          }
          r.worker.heartbeatAt = new Date().toISOString();
          const figures = copy.total();
          if (figures) r.live = { ...(r.live ?? {}), at: new Date().toISOString(), copy: figures };
          return true;
        })
        .then((r) => {
          if (lostClaim) controller.abort();
          stateDir?.setControl(r.control);
          stateDir?.setLimits(r.limits);
          // Cancel outside of following: stop the run; following handles cancel itself.
          if (r.control?.request === 'cancel' && r.run?.status !== 'following' && !cancelledByUser) {
            cancelledByUser = true;
            controller.abort();
          }
        })
        .catch(() => {});
    },
    Math.min(1000, Math.max(200, (options.staleMs ?? 20_000) / 5)),
  );

  let status = 'failed';
  let requeue = false;
  try {
    const existing = rehydrate(dirs.run, claimed.record.run);
    stateDir = new StoreStateDir(dirs.run, store, name, workerId, existing);
    stateDir.setControl(claimed.record.control);
    stateDir.setLimits(claimed.record.limits);
    const extra = options.progress?.(name);
    const progress: ProgressSink = {
      emit(event) {
        copy.sink.emit(event);
        if (event.type === 'stage' && event.state === 'started' && event.stage !== 'checking') {
          stateDir?.recordStage(event.stage, new Date().toISOString());
        }
        if (event.type === 'schema-change')
          stateDir?.recordNote(
            `schema change ${event.outcome} (${event.id}): ${event.statement}`,
            new Date().toISOString(),
          );
        extra?.emit(event);
      },
    };
    let outcome: TaskRunOutcome;
    try {
      outcome = await options.runner.run({
        record: claimed.record,
        scratchDir: dirs.scratch,
        runDir: dirs.run,
        stateDir,
        progress,
        signal: controller.signal,
        async recordChecks(report) {
          await store.update(name, (r) => {
            r.checks = storedChecks(report);
          });
        },
        ...(store instanceof PgTaskStore && (options.copyShares ?? 1) > 1
          ? { copyShare: pgCopyShare(store, name, workerId, options.copyShares ?? 1, options.staleMs) }
          : {}),
      });
    } finally {
      await stateDir.flush();
    }
    ({ status, requeue } = await recordOutcome(store, name, workerId, outcome, {
      cancelledByUser,
      lostClaim,
      copy: copy.total(),
    }));
  } catch (error) {
    await stateDir?.flush();
    const message = String((error as Error)?.message ?? error);
    const remedy = (error as { remedy?: unknown }).remedy;
    const redact = (text: string) => (options.redact ? options.redact(text) : text);
    await store
      .update(name, (r) => {
        if (r.worker?.id !== workerId) return false;
        r.error = {
          code: (error as { code?: string }).code ?? 'PGSHIFT_RUN_ERROR',
          message: redact(message),
          // What to do comes with it: `task show` says it as `pgshift run` would.
          ...(typeof remedy === 'string' ? { remedy: redact(remedy) } : {}),
        };
        delete r.worker;
        transition(r, 'failed', {
          note: 'the run stopped with an error; "task start" resumes it',
          worker: workerId,
        });
        return true;
      })
      .catch(() => {});
    status = 'failed';
  } finally {
    clearInterval(heartbeat);
    options.signal?.removeEventListener('abort', onStop);
    await claimed.release(requeue).catch(() => {});
  }
  return status;
}

async function recordOutcome(
  store: TaskStore,
  name: string,
  workerId: string,
  outcome: TaskRunOutcome,
  flags: { cancelledByUser: boolean; lostClaim: boolean; copy: TaskLive['copy'] },
): Promise<{ status: string; requeue: boolean }> {
  if (flags.lostClaim) return { status: 'taken over by another worker', requeue: false };
  let requeue = false;
  const record = await store.update(name, (r: TaskRecord) => {
    delete r.worker;
    if (flags.copy) r.live = { ...(r.live ?? {}), at: new Date().toISOString(), copy: flags.copy };
    switch (outcome.status) {
      case 'completed':
        delete r.control;
        if (r.status !== 'completed') transition(r, 'completed', { stage: 'done', worker: workerId });
        break;
      case 'cancelled':
        delete r.control;
        r.cleanupAdvice = outcome.cleanupAdvice;
        if (r.status !== 'cancelled') transition(r, 'cancelled', { worker: workerId });
        break;
      case 'checks-failed':
        r.checks = storedChecks(outcome.checks);
        transition(r, 'check-failed', { note: 'a check failed when the run began', worker: workerId });
        break;
      case 'verify-failed':
        r.error = outcome.state.error ?? {
          code: 'PGSHIFT_VERIFY_FAILED',
          message: 'verify found differences between source and target',
        };
        transition(r, 'failed', { stage: 'verifying', worker: workerId });
        break;
      case 'interrupted':
        if (flags.cancelledByUser) {
          delete r.control;
          r.cleanupAdvice = [
            'the target keeps what was copied so far; drop the migrated databases or objects before starting again',
            ...Object.values(outcome.state.databases)
              .filter((db) => db.slotName)
              .map(
                (db) =>
                  `replication slot ${db.slotName} may remain on the source: drop it with SELECT pg_drop_replication_slot('${db.slotName}')`,
              ),
          ];
          transition(r, 'cancelled', { note: 'cancelled by the user during the copy', worker: workerId });
        } else {
          requeue = true;
          r.dueAt = new Date().toISOString();
          transition(r, 'queued', { note: 'the worker stopped; another run resumes it', worker: workerId });
        }
        break;
    }
    return true;
  });
  return { status: record.status, requeue };
}
