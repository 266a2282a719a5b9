import type { TaskRecord } from './task-record.js';

export interface ClaimOptions {
  workerId: string;
  host: string;
  pid: number;
  /** A claim whose heartbeat is older than this is taken to belong to a dead worker. */
  staleMs: number;
  now?: Date;
}

/** A task a worker has taken; `release` hands the store's own bookkeeping (a queue job) back. */
export interface ClaimedTask {
  record: TaskRecord;
  /** True when another worker had started it and died. */
  takeover: boolean;
  /** Call when the run has ended; `requeue` puts the task back in the queue (worker stopped). */
  release(requeue: boolean): Promise<void>;
}

/**
 * Where tasks live. Every change goes through `update`, which reads, changes and writes one
 * record atomically, so two processes (or machines) never lose each other's changes.
 */
export interface TaskStore {
  /** A short description for messages (never holds a password). */
  readonly description: string;
  create(record: TaskRecord): Promise<void>;
  get(name: string): Promise<TaskRecord | undefined>;
  list(): Promise<TaskRecord[]>;
  /**
   * Applies `change` to the current record and stores it; `change` may throw to refuse, or
   * return false to leave the record unchanged. Resolves to the record as stored.
   */
  update(name: string, change: (record: TaskRecord) => unknown): Promise<TaskRecord>;
  /** Tells the queue the task is due at `dueAt` (the record already says queued/scheduled). */
  enqueue(record: TaskRecord): Promise<void>;
  /** Takes the next due task, earliest due first, or one whose worker died. */
  claimNext(options: ClaimOptions): Promise<ClaimedTask | undefined>;
  close(): Promise<void>;
}
