import type { ProgressSink } from '@pgshift/plugin-api';
import type { CopyShare, ShareCopy } from './copy-share.js';
import type { StoreStateDir } from './store-state-dir.js';
import type { TaskRecord } from './task-record.js';
import type { ChecksToStore } from './task-service.js';
import type { TaskState } from './task-state.js';

/** How a run ended, as far as the task's record is concerned (the kernel's RunOutcome is one). */
export type TaskRunOutcome =
  | { status: 'checks-failed'; checks: ChecksToStore }
  | { status: 'completed'; state: TaskState }
  | { status: 'verify-failed'; state: TaskState }
  | { status: 'cancelled'; state: TaskState; cleanupAdvice: string[] }
  | { status: 'interrupted'; state: TaskState };

/** One claimed task, handed to the runner with everything the worker prepared for it. */
export interface TaskRun {
  record: TaskRecord;
  /** Where the task's config copy goes on this machine. */
  scratchDir: string;
  /** The run's state directory (`stateDir.path`). */
  runDir: string;
  /** The run's state directory, mirrored into the store. */
  stateDir: StoreStateDir;
  progress: ProgressSink;
  /** Aborts when the worker stops, the claim is lost, or the user cancels outside of following. */
  signal: AbortSignal;
  /** Set when the copy is to be spread over the store's workers. */
  copyShare?: CopyShare;
  /** The run's prechecks produced this report: the worker stores it in the record. */
  recordChecks(report: ChecksToStore): Promise<void>;
}

/**
 * What the worker needs from whoever knows how to run a task (the kernel): this package claims,
 * heartbeats and records, and never loads plugins or talks to the servers itself.
 */
export interface TaskRunner {
  /** Runs one task from wherever its state says it stopped, to its end or a clean stop. */
  run(run: TaskRun): Promise<TaskRunOutcome>;
  /** Copies one share of another worker's task, under that task's snapshot. */
  copyShare(share: ShareCopy): Promise<void>;
}
