import { processAlive } from './process-alive.js';
import {
  ACTIVE_STATUSES,
  type TaskRecord,
  transition,
  WAITING_STATUSES,
  type WorkerClaim,
} from './task-record.js';
import type { ClaimOptions } from './task-store.js';

/** Whether the worker that claimed a task still lives: by pid on this host, by heartbeat elsewhere. */
export function workerAlive(worker: WorkerClaim | undefined, options: ClaimOptions): boolean {
  if (!worker) return false;
  const now = (options.now ?? new Date()).getTime();
  if (worker.host === options.host) return processAlive(worker.pid);
  return now - Date.parse(worker.heartbeatAt) < options.staleMs;
}

/** 'due' for a waiting task whose time has come, 'takeover' for an active one whose worker died. */
export function claimKind(record: TaskRecord, options: ClaimOptions): 'due' | 'takeover' | undefined {
  const now = (options.now ?? new Date()).getTime();
  if (WAITING_STATUSES.includes(record.status)) {
    return record.dueAt !== undefined && Date.parse(record.dueAt) <= now ? 'due' : undefined;
  }
  if (ACTIVE_STATUSES.includes(record.status) && record.worker?.id !== options.workerId) {
    return workerAlive(record.worker, options) ? undefined : 'takeover';
  }
  return undefined;
}

/** Earliest due first; ties in the order `task start` was given. */
export function dueOrder(a: TaskRecord, b: TaskRecord): number {
  const da = Date.parse(a.dueAt ?? a.createdAt);
  const db = Date.parse(b.dueAt ?? b.createdAt);
  return da - db || (a.seq ?? 0) - (b.seq ?? 0) || a.name.localeCompare(b.name);
}

/** Marks a record as taken by this worker. */
export function applyClaim(record: TaskRecord, kind: 'due' | 'takeover', options: ClaimOptions): void {
  const previous = record.worker?.id;
  record.worker = {
    id: options.workerId,
    host: options.host,
    pid: options.pid,
    heartbeatAt: (options.now ?? new Date()).toISOString(),
  };
  if (kind === 'due') {
    transition(record, 'running', { note: 'taken by a worker', worker: options.workerId });
  } else {
    transition(record, record.status, {
      ...(record.stage ? { stage: record.stage } : {}),
      note: `worker ${previous ?? '?'} is gone; resumed by another worker`,
      worker: options.workerId,
    });
  }
}
