import { PgshiftError } from '@pgshift/plugin-api';
import type { LoadedTask, LoadTaskOptions } from './loaded-task.js';

/** Loads a task config, its plugins and their containers. */
export async function loadTask(configPath: string, options: LoadTaskOptions = {}): Promise<LoadedTask> {
  void configPath;
  void options;
  throw new PgshiftError('PGSHIFT_NOT_IMPLEMENTED', 'loadTask is being written');
}
