import { serveTasks, type WorkerOptions as TaskWorkerOptions, type WorkerSummary } from '@pgshift/tasks';
import type { LoadTaskOptions } from '../loaded-task.js';
import { kernelTaskRunner } from './task-runner.js';

export interface WorkerOptions extends Omit<TaskWorkerOptions, 'runner' | 'redact'> {
  loadOptions?: LoadTaskOptions;
  verify?: boolean;
}

/** Runs due tasks from the store with the kernel's runner; see serveTasks. */
export function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  const { loadOptions, verify, ...rest } = options;
  const redactor = loadOptions?.redactor;
  return serveTasks({
    ...rest,
    runner: kernelTaskRunner(loadOptions, verify),
    ...(redactor ? { redact: (text: string) => redactor.redact(text) } : {}),
  });
}
