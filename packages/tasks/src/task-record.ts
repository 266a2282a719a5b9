import type { CheckResult, MigrationMode, Stage, TaskLimits } from '@pgshift/plugin-api';
import type { LagSample } from './lag-series.js';
import type { ControlRequest, LiveStatus } from './state-dir.js';
import type { TableCopy } from './table-copies.js';
import type { TaskState } from './task-state.js';

/**
 * Where a task stands, as users see it:
 * created → checking → check-failed | checked → scheduled | queued → running (stages) →
 * finishing → completed | cancelled | failed.
 */
export type TaskLifecycle =
  | 'created'
  | 'checking'
  | 'check-failed'
  | 'checked'
  | 'scheduled'
  | 'queued'
  | 'running'
  | 'finishing'
  | 'completed'
  | 'cancelled'
  | 'failed';

export interface TaskHistoryEntry {
  status: TaskLifecycle;
  stage?: Stage;
  at: string;
  note?: string;
  worker?: string;
  /** Who asked for it: `cli:<OS user>`, `console:<token label>`; absent for a worker's own steps. */
  origin?: string;
}

export interface StoredChecks {
  at: string;
  ok: boolean;
  summary: { pass: number; warning: number; failed: number; total: number };
  items: CheckResult[];
}

export interface WorkerClaim {
  id: string;
  host: string;
  pid: number;
  heartbeatAt: string;
}

/** Live figures a worker publishes for `task show`. */
export interface TaskLive {
  at: string;
  copy?: {
    rows: number;
    bytes: number;
    totalBytes: number;
    tablesDone: number;
    tablesTotal: number;
    startedAt: string;
    /** Per table: those being copied, the last finished, then those waiting (tableCopies). */
    tables?: TableCopy[];
  };
  databases?: LiveStatus['databases'];
}

/** The durable record of one task in a task store. */
export interface TaskRecord {
  version: 1;
  name: string;
  status: TaskLifecycle;
  stage?: Stage;
  mode: MigrationMode;
  createdAt: string;
  updatedAt: string;
  /** From the config's task.startAt; absent = as soon as started. */
  startAt?: string;
  /** When a worker may take it: startAt, or the time `task start` was given. */
  dueAt?: string;
  /** Order of `task start` requests, for ties of dueAt. */
  seq?: number;
  config: { path: string; fileName: string; text: string };
  history: TaskHistoryEntry[];
  checks?: StoredChecks;
  /** Copy of the run's state.json: what a worker on another machine needs to resume. */
  run?: TaskState;
  live?: TaskLive;
  /** Lag and apply rate while following, one sample per 5 s at most, the last 720 (appendLagSample). */
  lagSeries?: LagSample[];
  control?: ControlRequest;
  /** Rate limit changes made by `task set`, laid over the config's (0 lifts a limit). */
  limits?: TaskLimits;
  worker?: WorkerClaim;
  error?: { code: string; message: string; remedy?: string };
  /** Which worker copied which tables, when the copy was spread over workers. */
  copyShares?: { database: string; tables: string[]; worker: string; at: string }[];
  /** Schema changes applied to the target by hand after a stop (`task start --ddl-applied`). */
  ddlAppliedByHand?: string[];
  /** Lines telling what a cancelled run left behind on the target. */
  cleanupAdvice?: string[];
}

export const FINAL_STATUSES: readonly TaskLifecycle[] = ['completed', 'cancelled', 'failed', 'check-failed'];
export const WAITING_STATUSES: readonly TaskLifecycle[] = ['queued', 'scheduled'];
export const ACTIVE_STATUSES: readonly TaskLifecycle[] = ['running', 'finishing'];

/** Records a new status (and stage) with its time. */
export function transition(
  record: TaskRecord,
  status: TaskLifecycle,
  extra: { stage?: Stage; note?: string; worker?: string; origin?: string; at?: string } = {},
): void {
  const at = extra.at ?? new Date().toISOString();
  record.status = status;
  if (extra.stage !== undefined) record.stage = extra.stage;
  record.history.push({
    status,
    at,
    ...(extra.stage === undefined ? {} : { stage: extra.stage }),
    ...(extra.note === undefined ? {} : { note: extra.note }),
    ...(extra.worker === undefined ? {} : { worker: extra.worker }),
    ...(extra.origin === undefined ? {} : { origin: extra.origin }),
  });
}

export function newTaskRecord(input: {
  name: string;
  mode: MigrationMode;
  startAt?: string;
  config: TaskRecord['config'];
  now?: Date;
  origin?: string;
}): TaskRecord {
  const at = (input.now ?? new Date()).toISOString();
  return {
    version: 1,
    name: input.name,
    status: 'created',
    mode: input.mode,
    createdAt: at,
    updatedAt: at,
    ...(input.startAt ? { startAt: input.startAt } : {}),
    config: input.config,
    history: [{ status: 'created', at, ...(input.origin === undefined ? {} : { origin: input.origin }) }],
  };
}
