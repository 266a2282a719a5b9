import type { TaskRecord } from '@pgshift/tasks';
import { copyFraction } from '../progress/copy-fraction.js';
import { taskEndpoints } from './task-endpoints.js';

/** Figures of a task's progress: the copy, its rate and ETA, lag while following. */
export function progressOf(record: TaskRecord) {
  const copy = record.live?.copy;
  let percent: number | undefined;
  let etaSeconds: number | undefined;
  if (copy) {
    const fraction = copyFraction(copy);
    percent = fraction * 100;
    const elapsed = (Date.parse(record.live?.at ?? '') - Date.parse(copy.startedAt)) / 1000;
    // No ETA once the copy is done, whatever the size estimate said.
    if (fraction < 1 && elapsed > 0 && copy.bytes > 0 && copy.bytes < copy.totalBytes) {
      etaSeconds = ((copy.totalBytes - copy.bytes) / copy.bytes) * elapsed;
    }
  }
  if (record.status === 'completed') percent = 100;
  // What the run recorded as copied, per database (durable, also after the run ended).
  const copied = Object.values(record.run?.databases ?? {})
    .map((db) => db.copy)
    .filter((c) => c !== undefined);
  const recorded =
    copied.length > 0
      ? { rows: copied.reduce((s, c) => s + c.rows, 0), bytes: copied.reduce((s, c) => s + c.bytes, 0) }
      : undefined;
  return { percent, etaSeconds, copy, copied: recorded, databases: record.live?.databases };
}

/** The largest lag (seconds and bytes) and the summed apply rate over the databases followed. */
export function lagOf(record: TaskRecord): { lagSeconds?: number; lagBytes?: number; applyRate?: number } {
  let lagSeconds: number | undefined;
  let lagBytes: number | undefined;
  let applyRate: number | undefined;
  for (const db of Object.values(record.live?.databases ?? {})) {
    if (db.lagSeconds !== undefined) lagSeconds = Math.max(lagSeconds ?? 0, db.lagSeconds);
    if (db.lagBytes !== undefined) lagBytes = Math.max(lagBytes ?? 0, Number(db.lagBytes));
    if (db.applyRate !== undefined) applyRate = (applyRate ?? 0) + db.applyRate;
  }
  return {
    ...(lagSeconds === undefined ? {} : { lagSeconds }),
    ...(lagBytes === undefined ? {} : { lagBytes }),
    ...(applyRate === undefined ? {} : { applyRate }),
  };
}

/**
 * One task in a list (`task list --json`, the console's /api/tasks and its live events). Never
 * the config text: it may hold secrets.
 */
export function taskSummary(r: TaskRecord) {
  const progress = progressOf(r);
  return {
    name: r.name,
    status: r.status,
    stage: r.stage,
    mode: r.mode,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    startAt: r.startAt,
    dueAt: r.dueAt,
    worker: r.worker?.id,
    progress: progress.percent,
    etaSeconds: progress.etaSeconds,
    ...lagOf(r),
    ...taskEndpoints(r),
    error: r.error,
    cleanupAdvice: r.cleanupAdvice,
  };
}

/**
 * One task in full (`task show --json`, the console's /api/tasks/NAME): the record without its
 * config text (only the file's path), with its endpoints and progress figures.
 */
export function taskDetail(record: TaskRecord) {
  const { config, run, ...rest } = record;
  return {
    ...rest,
    config: { path: config.path },
    ...taskEndpoints(record),
    progress: progressOf(record),
    run,
  };
}

export type TaskSummary = ReturnType<typeof taskSummary>;
export type TaskDetail = ReturnType<typeof taskDetail>;
