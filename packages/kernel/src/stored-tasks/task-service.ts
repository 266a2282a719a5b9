import type { PgshiftError } from '@pgshift/plugin-api';
import {
  ACTIVE_STATUSES,
  localDirs,
  newTaskRecord,
  readConfigForRecord,
  resumable,
  storedChecks,
  type TaskRecord,
  TaskStateError,
  type TaskStore,
  transition,
  WAITING_STATUSES,
} from '@pgshift/tasks';
import { type CheckReport, runChecks } from '../checks/run-checks.js';
import { loadTask } from '../load-task.js';
import type { LoadTaskOptions } from '../loaded-task.js';
import { loadStoredTask } from './load-stored-task.js';

/** What `task start` and the console say when the checks stopped a start. */
export function checksStoppedStart(name: string): string {
  return `task ${name} did not start: fix the Failed items above and start it again`;
}

/** Validates a config (loading its plugins) and records a new task in `created`. */
/** Who asked for an operation, kept in the task history (`cli:<user>`, `console:<label>`). */
export type OriginOption = { origin?: string };

export async function createTask(
  store: TaskStore,
  configPath: string,
  options: LoadTaskOptions & OriginOption = {},
): Promise<TaskRecord> {
  const task = await loadTask(configPath, options);
  await task.close();
  const record = newTaskRecord({
    name: task.config.task.name,
    mode: task.config.mode,
    ...(task.config.task.startAt ? { startAt: task.config.task.startAt } : {}),
    config: readConfigForRecord(configPath),
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  });
  await store.create(record);
  return record;
}

/** Runs the checks of a task that is not waiting or running: checking → checked | check-failed. */
export async function checkTask(
  store: TaskStore,
  name: string,
  options: LoadTaskOptions & OriginOption & { workDir?: string } = {},
): Promise<{ record: TaskRecord; report: CheckReport }> {
  const origin = options.origin === undefined ? {} : { origin: options.origin };
  const before = await store.update(name, (record) => {
    if (WAITING_STATUSES.includes(record.status) || ACTIVE_STATUSES.includes(record.status)) {
      throw new TaskStateError(
        `task ${name} is ${record.status}; it can be checked only before it is started or after it ended`,
        'cancel it first with "pgshift task cancel"',
      );
    }
    transition(record, 'checking', origin);
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
      transition(record, 'check-failed', { note: 'the checks could not run', ...origin });
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
      ...origin,
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
  options: LoadTaskOptions & OriginOption & { workDir?: string; ddlAppliedByHand?: string[] } = {},
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
    // Kept on the record: the worker that resumes the run hands them to it.
    if (options.ddlAppliedByHand)
      r.ddlAppliedByHand = [...new Set([...(r.ddlAppliedByHand ?? []), ...options.ddlAppliedByHand])];
    transition(r, later ? 'scheduled' : 'queued', {
      note: resumes ? 'resumes the unfinished run' : later ? `waits until ${r.dueAt}` : 'waits for a worker',
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    });
  });
  await store.enqueue(record);
  return { record, ...(report ? { report } : {}) };
}
