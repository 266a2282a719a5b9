export { claimKind, dueOrder, workerAlive } from './claimable.js';
export { FileTaskStore, TaskExistsError, TaskNotFoundError } from './file-task-store.js';
export { localDirs } from './local-dirs.js';
export { DEFAULT_STORE_DIR, openTaskStore, storeSecret } from './open-store.js';
export { describeUrl, PgTaskStore } from './pg-task-store.js';
export { StoreStateDir } from './store-state-dir.js';
export { configFileFor, loadStoredTask } from './stored-config.js';
export * from './task-record.js';
export {
  checkTask,
  createTask,
  requestControl,
  startTask,
  storedChecks,
  TaskStateError,
  waitForStatus,
} from './task-service.js';
export type { ClaimedTask, ClaimOptions, TaskStore } from './task-store.js';
export { runWorker, type WorkerOptions, type WorkerSummary } from './worker.js';
