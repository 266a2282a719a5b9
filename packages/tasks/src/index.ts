export { pause } from './abortable-pause.js';
export { claimKind, dueOrder, workerAlive } from './claimable.js';
export { type CopyShare, pgCopyShare, runShare, type ShareCopy } from './copy-share.js';
export { withFileLock } from './file-lock.js';
export { FileTaskStore, TaskExistsError, TaskNotFoundError } from './file-task-store.js';
export {
  appendLagSample,
  LAG_SAMPLE_EVERY_MS,
  LAG_SAMPLES_KEPT,
  type LagSample,
  lagSample,
} from './lag-series.js';
export { limitsLine } from './limits-line.js';
export { localDirs } from './local-dirs.js';
export { DEFAULT_STORE_DIR, openTaskStore, storeSecret } from './open-store.js';
export { describeUrl, PgTaskStore, type ShareJob } from './pg-task-store.js';
export { processAlive } from './process-alive.js';
export { acquireRunLock, runningOwner } from './run-lock.js';
export { type ControlRequest, type LiveStatus, StateDir } from './state-dir.js';
export { StoreStateDir } from './store-state-dir.js';
export { configFileFor, readConfigForRecord } from './stored-config.js';
export { TABLE_COPIES_KEPT, type TableCopy, tableCopies } from './table-copies.js';
export {
  combineChanges,
  describeChange,
  describeLimits,
  mergeLimits,
  parseLimitValue,
  sameLimits,
} from './task-limits.js';
export * from './task-record.js';
export type { TaskRun, TaskRunner, TaskRunOutcome } from './task-runner.js';
export {
  type ChecksToStore,
  changeTaskLimits,
  requestControl,
  storedChecks,
  TaskStateError,
  waitForStatus,
} from './task-service.js';
export {
  addDdlAppliedByHand,
  type DatabasePhase,
  type DatabaseState,
  isFinal,
  newTaskState,
  type Reconnecting,
  resumable,
  type SchemaChangeRecord,
  type TaskState,
  type TaskStatus,
  type Transition,
} from './task-state.js';
export type { ClaimedTask, ClaimOptions, TaskStore } from './task-store.js';
export { serveTasks, type WorkerOptions, type WorkerSummary } from './worker.js';
