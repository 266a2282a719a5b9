import { PgshiftError } from '@pgshift/plugin-api';
import { type CheckReport, runChecks } from '../checks/run-checks.js';
import { loadTask } from '../load-task.js';
import type { LoadTaskOptions } from '../loaded-task.js';
import { resumable } from '../orchestrator/task-state.js';
import { localDirs } from './local-dirs.js';
import { loadStoredTask, readConfigForRecord } from './stored-config.js';
import {
  ACTIVE_STATUSES,
  FINAL_STATUSES,
  newTaskRecord,
  type StoredChecks,
  type TaskRecord,
  transition,
  WAITING_STATUSES,
} from './task-record.js';
import type { TaskStore } from './task-store.js';

export class TaskStateError extends PgshiftError {
  constructor(message: string, remedy: string) {
    super('PGSHIFT_TASK_STATE', message, { remedy });
  }
}

/** Validates a config (loading its plugins) and records a new task in `created`. */
export async function createTask(
  store: TaskStore,
  configPath: string,
  options: LoadTaskOptions = {},
): Promise<TaskRecord> {
  const task = await loadTask(configPath, options);
  await task.close();
  const record = newTaskRecord({
    name: task.config.task.name,
    mode: task.config.mode,
    ...(task.config.task.startAt ? { startAt: task.config.task.startAt } : {}),
    config: readConfigForRecord(configPath),
  });
  await store.create(record);
  return record;
}

export function storedChecks(report: CheckReport): StoredChecks {
  return { at: new Date().toISOString(), ok: report.ok, summary: report.summary, items: report.items };
}

/** Runs the checks of a task that is not waiting or running: checking → checked | check-failed. */
export async function checkTask(
  store: TaskStore,
  name: string,
  options: LoadTaskOptions & { workDir?: string } = {},
): Promise<{ record: TaskRecord; report: CheckReport }> {
  const before = await store.update(name, (record) => {
    if (WAITING_STATUSES.includes(record.status) || ACTIVE_STATUSES.includes(record.status)) {
      throw new TaskStateError(
        `task ${name} is ${record.status}; it can be checked only before it is started or after it ended`,
        'cancel it first with "pgshift task cancel"',
      );
    }
    transition(record, 'checking');
  });
  let report: CheckReport;
  try {
    const dirs = localDirs(store, name, options.workDir);
    const task = await loadStoredTask(before, dirs.scratch, dirs.run, options);
    try {
      report = await runChecks(task);
    } finally {
      await task.close();
    }
  } catch (error) {
    await store.update(name, (record) => {
      record.error = {
        code: (error as PgshiftError).code ?? 'PGSHIFT_CHECK_ERROR',
        message: String((error as Error).message),
      };
      transition(record, 'check-failed', { note: 'the checks could not run' });
    });
    throw error;
  }
  const record = await store.update(name, (r) => {
    r.checks = storedChecks(report);
    const warnings = report.summary.warning;
    transition(r, report.ok ? 'checked' : 'check-failed', {
      note: report.ok
        ? warnings > 0
          ? `${warnings} warning(s)`
          : 'all checks passed'
        : `${report.summary.failed} check(s) failed`,
    });
  });
  return { record, report };
}

/**
 * Starts a task: runs the checks (unless it resumes an unfinished run), then puts it in the
 * queue — `scheduled` when its start time lies ahead, else `queued`.
 */
export async function startTask(
  store: TaskStore,
  name: string,
  options: LoadTaskOptions & { workDir?: string } = {},
): Promise<{ record: TaskRecord; report?: CheckReport }> {
  const current = await store.get(name);
  if (!current) {
    // update throws the not-found error with its remedy
    await store.update(name, () => false);
    throw new Error('unreachable');
  }
  if (WAITING_STATUSES.includes(current.status) || ACTIVE_STATUSES.includes(current.status)) {
    throw new TaskStateError(
      `task ${name} is already ${current.status}`,
      'follow it with "pgshift task show"',
    );
  }
  if (current.status === 'completed') {
    throw new TaskStateError(
      `task ${name} has completed`,
      'create a new task (another task.name) to migrate again',
    );
  }
  const resumes = current.run !== undefined && resumable(current.run) && current.status === 'failed';
  let report: CheckReport | undefined;
  if (!resumes) {
    const checked = await checkTask(store, name, options);
    report = checked.report;
    if (!report.ok) return { record: checked.record, report };
  }
  const record = await store.update(name, (r) => {
    const now = new Date();
    const startAt = r.startAt ? new Date(r.startAt) : undefined;
    const later = startAt !== undefined && startAt.getTime() > now.getTime();
    r.dueAt = (later ? startAt : now).toISOString();
    r.seq = now.getTime();
    delete r.control;
    delete r.error;
    delete r.cleanupAdvice;
    delete r.worker;
    delete r.live;
    transition(r, later ? 'scheduled' : 'queued', {
      note: resumes ? 'resumes the unfinished run' : later ? `waits until ${r.dueAt}` : 'waits for a worker',
    });
  });
  await store.enqueue(record);
  return { record, ...(report ? { report } : {}) };
}

/**
 * Records a finish or cancel request. A task that is not running yet is cancelled at once; a
 * running one gets the request through its worker.
 */
export async function requestControl(
  store: TaskStore,
  name: string,
  request: 'finish' | 'cancel',
  options: { keepState?: boolean } = {},
): Promise<{ record: TaskRecord; immediate: boolean }> {
  let immediate = false;
  const record = await store.update(name, (r) => {
    if (FINAL_STATUSES.includes(r.status) && r.status !== 'check-failed' && r.status !== 'failed') {
      throw new TaskStateError(
        `task ${name} has already ${r.status === 'completed' ? 'completed' : 'been cancelled'}`,
        'nothing to do',
      );
    }
    if (ACTIVE_STATUSES.includes(r.status)) {
      r.control = {
        request,
        at: new Date().toISOString(),
        ...(options.keepState ? { keepState: true } : {}),
      };
      return true;
    }
    if (request === 'finish') {
      throw new TaskStateError(
        `task ${name} is ${r.status}, not running; finish ends a running task`,
        'start it with "pgshift task start" and finish it once it follows the source',
      );
    }
    immediate = true;
    delete r.control;
    delete r.worker;
    transition(r, 'cancelled', { note: 'cancelled before a worker ran it' });
    return true;
  });
  return { record, immediate };
}

/** Waits until a task reaches one of `statuses` (or the timeout). */
export async function waitForStatus(
  store: TaskStore,
  name: string,
  statuses: readonly string[],
  options: { timeoutMs: number; pollMs?: number },
): Promise<TaskRecord | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const record = await store.get(name);
    if (!record || statuses.includes(record.status)) return record;
    if (Date.now() > deadline) return record;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
}
