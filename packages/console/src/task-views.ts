// TODO(console-data): replace with taskSummary/taskDetail from @pgshift/kernel (the objects of
// `pgshift task list --json` / `task show --json`) once that branch lands; until then these mirror
// the CLI's summaryOf/progressOf (packages/cli/src/commands/task.ts), which the console cannot
// import (the CLI depends on the console). The extra summary fields (etaSeconds, lag*, source,
// target) are what the list page and its live updates show: the kernel's summary should carry them.
import { copyFraction } from '@pgshift/kernel';
import type { TaskRecord } from '@pgshift/tasks';
import { parse } from 'yaml';

/** Copy progress, its ETA, and the largest lag over the task's databases. */
export function progressOf(record: TaskRecord) {
  const copy = record.live?.copy;
  let percent: number | undefined;
  let etaSeconds: number | undefined;
  if (copy) {
    const fraction = copyFraction(copy);
    percent = fraction * 100;
    const elapsed = (Date.parse(record.live?.at ?? '') - Date.parse(copy.startedAt)) / 1000;
    if (fraction < 1 && elapsed > 0 && copy.bytes > 0 && copy.bytes < copy.totalBytes)
      etaSeconds = ((copy.totalBytes - copy.bytes) / copy.bytes) * elapsed;
  }
  if (record.status === 'completed') percent = 100;
  return { percent, etaSeconds, copy, databases: record.live?.databases };
}

/** The largest lag (seconds and bytes) and the summed apply rate over the databases followed. */
export function lagOf(record: TaskRecord) {
  let lagSeconds: number | undefined;
  let lagBytes: number | undefined;
  let applyRate: number | undefined;
  for (const db of Object.values(record.live?.databases ?? {})) {
    if (db.lagSeconds !== undefined) lagSeconds = Math.max(lagSeconds ?? 0, db.lagSeconds);
    if (db.lagBytes !== undefined) lagBytes = Math.max(lagBytes ?? 0, Number(db.lagBytes));
    if (db.applyRate !== undefined) applyRate = (applyRate ?? 0) + db.applyRate;
  }
  return { lagSeconds, lagBytes, applyRate };
}

/** `host:port` (or the access mode) of the config's source and target; never a password. */
export function endpointsOf(record: TaskRecord): { source?: string; target?: string } {
  if (!/\.(ya?ml|json)$/.test(record.config.fileName)) return {};
  let config: unknown;
  try {
    config = parse(record.config.text);
  } catch {
    return {};
  }
  const describe = (endpoint: unknown): string | undefined => {
    if (typeof endpoint !== 'object' || endpoint === null) return undefined;
    const e = endpoint as Record<string, unknown>;
    const host = typeof e.host === 'string' ? e.host : undefined;
    const port = typeof e.port === 'number' || typeof e.port === 'string' ? String(e.port) : undefined;
    if (host) return port ? `${host}:${port}` : host;
    return typeof e.access === 'string' ? e.access : undefined;
  };
  const c = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
  const source = describe(c.source);
  const target = describe(c.target);
  return { ...(source ? { source } : {}), ...(target ? { target } : {}) };
}

/** One task as `task list --json` shows it (plus what the list page shows live). */
export function taskSummary(r: TaskRecord) {
  const progress = progressOf(r);
  return {
    name: r.name,
    status: r.status,
    stage: r.stage,
    mode: r.mode,
    createdAt: r.createdAt,
    startAt: r.startAt,
    dueAt: r.dueAt,
    worker: r.worker?.id,
    progress: progress.percent,
    error: r.error,
    cleanupAdvice: r.cleanupAdvice,
    etaSeconds: progress.etaSeconds,
    ...lagOf(r),
    ...endpointsOf(r),
  };
}
export type TaskSummary = ReturnType<typeof taskSummary>;

/** One task as `task show --json` shows it: the record without its config text (it may hold secrets). */
export function taskDetail(record: TaskRecord) {
  const { config, run, ...rest } = record;
  return { ...rest, config: { path: config.path }, progress: progressOf(record), run };
}
