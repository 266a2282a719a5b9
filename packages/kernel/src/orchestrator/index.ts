export { defaultMigrationDeps, verifyOne, verifyOptionsFor } from './default-deps.js';
export { type LiveVerifyOutcome, type LiveVerifyRequest, liveVerifyOne } from './live-verify.js';
export type { MigrationDeps, VerifyOutcome } from './migration-deps.js';
export { replicationName } from './names.js';
export { readTaskStatus, requestAndWait, requestLimits, type TaskStatusReport } from './remote-control.js';
export { type RunOutcome, type RunTaskOptions, runTask } from './run-task.js';
