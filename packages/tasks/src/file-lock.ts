import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { PgshiftError } from '@pgshift/plugin-api';
import { processAlive } from './process-alive.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A lock file made with O_EXCL holding the owner's pid. A lock whose owner died is taken over;
 * a live owner is waited for (store operations hold it for milliseconds).
 */
export async function withFileLock<T>(
  path: string,
  body: () => T | Promise<T>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner = 0;
      try {
        owner = Number(readFileSync(path, 'utf8').trim());
      } catch {
        continue; // removed between open and read
      }
      // An empty file is a lock being written right now; only a known dead pid is stale.
      if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new PgshiftError(
          'PGSHIFT_STORE_LOCKED',
          `the task store lock ${path} is held by process ${owner}`,
          {
            remedy: 'if no pgshift process is running, remove the lock file',
          },
        );
      }
      await sleep(10 + Math.random() * 20);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(path, { force: true });
  }
}
