export { loadStoredTask } from './load-stored-task.js';
export { runWorker, type WorkerOptions } from './run-worker.js';
export { type EndpointView, type TaskEndpoints, taskEndpoints } from './task-endpoints.js';
export { kernelTaskRunner } from './task-runner.js';
export {
  checksStoppedStart,
  checkTask,
  createTask,
  type OriginOption,
  startTask,
} from './task-service.js';
export {
  lagOf,
  progressOf,
  type TaskDetail,
  type TaskSummary,
  taskDetail,
  taskSummary,
} from './task-views.js';
