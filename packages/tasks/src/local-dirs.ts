import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTaskStore } from './file-task-store.js';
import type { TaskStore } from './task-store.js';

/**
 * Where this machine keeps a task's files: in the task's folder for the embedded store; under a
 * work directory for the shared store (its run state is rehydrated from the store).
 */
export function localDirs(
  store: TaskStore,
  name: string,
  workDir?: string,
): { scratch: string; run: string } {
  if (store instanceof FileTaskStore) return { scratch: store.taskDir(name), run: store.runDir(name) };
  const base = join(workDir ?? join(tmpdir(), `pgshift-worker-${process.getuid?.() ?? 'user'}`), name);
  return { scratch: base, run: join(base, 'run') };
}
