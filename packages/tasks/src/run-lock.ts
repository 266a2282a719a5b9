import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PgshiftError } from '@pgshift/plugin-api';
import { processAlive } from './process-alive.js';

/**
 * Makes sure only one process runs a task at a time. The lock file holds the owner's pid; a lock
 * whose owner is gone (killed with SIGKILL, say) is taken over.
 */
export function acquireRunLock(stateDir: string, task: string): () => void {
  const path = join(stateDir, 'run.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && processAlive(owner) && owner !== process.pid) {
        throw new PgshiftError('PGSHIFT_TASK_RUNNING', `task ${task} is already running (process ${owner})`, {
          remedy: `use "pgshift status", "pgshift finish" or "pgshift cancel" from this terminal instead`,
        });
      }
      rmSync(path, { force: true });
    }
  }
  throw new PgshiftError('PGSHIFT_TASK_RUNNING', `could not take the run lock of task ${task}`);
}

/** The pid of the process running the task, if one is. */
export function runningOwner(stateDir: string): number | undefined {
  try {
    const owner = Number(readFileSync(join(stateDir, 'run.lock'), 'utf8').trim());
    return Number.isInteger(owner) && owner > 0 && processAlive(owner) ? owner : undefined;
  } catch {
    return undefined;
  }
}
