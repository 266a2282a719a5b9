import { resolve } from 'node:path';
import { FileTaskStore } from './file-task-store.js';
import { PgTaskStore } from './pg-task-store.js';
import type { TaskStore } from './task-store.js';

export const DEFAULT_STORE_DIR = '.pgshift-tasks';

/**
 * Opens the task store `spec` names: a postgres:// URL for the shared store, else a directory
 * for the embedded one. Without a spec: $PGSHIFT_STORE, else ./.pgshift-tasks.
 */
export function openTaskStore(spec?: string, options: { worker?: boolean } = {}): TaskStore {
  const given = spec ?? process.env.PGSHIFT_STORE ?? DEFAULT_STORE_DIR;
  if (/^postgres(ql)?:\/\//i.test(given)) return new PgTaskStore(given, options);
  return new FileTaskStore(resolve(given));
}

/** The password in a store URL, so callers can mask it in every message. */
export function storeSecret(spec?: string): string | undefined {
  const given = spec ?? process.env.PGSHIFT_STORE;
  if (!given || !/^postgres(ql)?:\/\//i.test(given)) return undefined;
  try {
    const password = new URL(given).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
