export { loadStoredTask } from './load-stored-task.js';
export { runWorker, type WorkerOptions } from './run-worker.js';
export { kernelTaskRunner } from './task-runner.js';
export { checkTask, createTask, startTask } from './task-service.js';
