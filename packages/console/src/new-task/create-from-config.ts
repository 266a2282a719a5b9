import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTask, type LoadTaskOptions, type Redactor } from '@pgshift/kernel';
import { ConfigError, type ConfigProblem } from '@pgshift/plugin-api';
import type { TaskRecord } from '@pgshift/tasks';
import { parse } from 'yaml';
import type { ConsoleDeps } from '../console-app.js';
import { type ErrorView, errorView } from '../error-view.js';

export type CreateOutcome =
  | { ok: true; record: TaskRecord }
  | { ok: false; problems: ConfigProblem[]; error?: ErrorView };

// The core schema's rule for task.name: a name that passes it is safe as a file name.
const TASK_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Where the console keeps the configs it writes: one file per task, readable by its owner alone. */
export function configsDir(stateDir: string): string {
  const dir = join(stateDir, 'configs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

function nameIn(text: string): string | undefined {
  try {
    const doc: unknown = parse(text);
    const task = typeof doc === 'object' && doc !== null ? (doc as { task?: unknown }).task : undefined;
    const name = typeof task === 'object' && task !== null ? (task as { name?: unknown }).name : undefined;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined; // the kernel reports the YAML error with its line
  }
}

/**
 * Creates a task from config text the way `pgshift task create` does: the text is written to
 * `<stateDir>/configs/<name>.yaml` (0600; secrets inline as given) and createTask validates it,
 * loads its plugins and records it. A refused config leaves no file behind; its problems come
 * back by path, every message masked by `redactor`.
 */
export async function createFromConfig(
  deps: ConsoleDeps,
  text: string,
  context: { origin: string; redactor: Redactor },
): Promise<CreateOutcome> {
  const dir = configsDir(deps.stateDir);
  const name = nameIn(text);
  // Never over another task's file: a bad or taken name is checked from a scratch file.
  const usable = name !== undefined && TASK_NAME.test(name) && !(await deps.store.get(name));
  const file = join(dir, usable ? `${name}.yaml` : `.check-${randomBytes(6).toString('hex')}.yaml`);
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
  // Recorded in the task's history once the kernel takes it (branch console-data).
  const options: LoadTaskOptions & { origin: string } = { ...deps.loadOptions(), origin: context.origin };
  try {
    return { ok: true, record: await createTask(deps.store, file, options) };
  } catch (error) {
    rmSync(file, { force: true });
    const mask = (t: string) => context.redactor.redact(t);
    if (error instanceof ConfigError)
      return {
        ok: false,
        problems: error.problems.map((p) => ({ path: p.path, message: mask(p.message) })),
      };
    const view = errorView(error, mask);
    if (view.code === 'PGSHIFT_TASK_EXISTS')
      return { ok: false, problems: [{ path: 'task.name', message: view.message }] };
    return { ok: false, problems: [], error: view };
  }
}
