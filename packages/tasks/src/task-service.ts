import { PgshiftError, type TaskLimits } from '@pgshift/plugin-api';
import { combineChanges, describeChange } from './task-limits.js';
import {
  ACTIVE_STATUSES,
  FINAL_STATUSES,
  type StoredChecks,
  type TaskRecord,
  transition,
} from './task-record.js';
import type { TaskStore } from './task-store.js';

/** What the worker keeps of a check report: the kernel's CheckReport is one. */
export type ChecksToStore = Omit<StoredChecks, 'at'>;

export class TaskStateError extends PgshiftError {
  constructor(message: string, remedy: string) {
    super('PGSHIFT_TASK_STATE', message, { remedy });
  }
}

export function storedChecks(report: ChecksToStore): StoredChecks {
  return { at: new Date().toISOString(), ok: report.ok, summary: report.summary, items: report.items };
}

/**
 * Records a finish or cancel request. A task that is not running yet is cancelled at once; a
 * running one gets the request through its worker.
 */
export async function requestControl(
  store: TaskStore,
  name: string,
  request: 'finish' | 'cancel',
  options: { keepState?: boolean; origin?: string } = {},
): Promise<{ record: TaskRecord; immediate: boolean }> {
  const origin = options.origin === undefined ? {} : { origin: options.origin };
  let immediate = false;
  const record = await store.update(name, (r) => {
    if (FINAL_STATUSES.includes(r.status) && r.status !== 'check-failed' && r.status !== 'failed') {
      throw new TaskStateError(
        `task ${name} has already ${r.status === 'completed' ? 'completed' : 'been cancelled'}`,
        'nothing to do',
      );
    }
    if (ACTIVE_STATUSES.includes(r.status)) {
      const at = new Date().toISOString();
      r.control = { request, at, ...(options.keepState ? { keepState: true } : {}), ...origin };
      // The worker acts on it later; the history says who asked, and when.
      r.history.push({
        status: r.status,
        ...(r.stage === undefined ? {} : { stage: r.stage }),
        at,
        note: `${request} requested${options.keepState ? ' (keep state)' : ''}`,
        ...origin,
      });
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
    transition(r, 'cancelled', { note: 'cancelled before a worker ran it', ...origin });
    return true;
  });
  return { record, immediate };
}

/**
 * Changes a task's rate limits (`task set`): recorded on the task, laid over its config's, with a
 * history entry. The worker running it passes them to the run within a second or two; a task
 * not started yet runs with them.
 */
export async function changeTaskLimits(
  store: TaskStore,
  name: string,
  change: TaskLimits,
  options: { origin?: string } = {},
): Promise<TaskRecord> {
  return store.update(name, (r) => {
    if (r.status === 'completed' || r.status === 'cancelled')
      throw new TaskStateError(
        `task ${name} has ${r.status === 'completed' ? 'completed' : 'been cancelled'}`,
        'limits apply to a task that still runs or will run',
      );
    r.limits = combineChanges(r.limits, change);
    r.history.push({
      status: r.status,
      ...(r.stage === undefined ? {} : { stage: r.stage }),
      at: new Date().toISOString(),
      note: `limits set: ${describeChange(change)}`,
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    });
    return true;
  });
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
