import { configFileFor, type TaskRecord } from '@pgshift/tasks';
import { loadTask } from '../load-task.js';
import type { LoadedTask, LoadTaskOptions } from '../loaded-task.js';

/** Loads a stored task; its runs keep their state in `runDir`. */
export async function loadStoredTask(
  record: TaskRecord,
  scratchDir: string,
  runDir: string,
  options: LoadTaskOptions,
): Promise<LoadedTask> {
  const task = await loadTask(configFileFor(record, scratchDir), options);
  task.config.options.stateDir = runDir;
  return task;
}
