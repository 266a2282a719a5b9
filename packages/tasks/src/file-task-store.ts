import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PgshiftError } from '@pgshift/plugin-api';
import { applyClaim, claimKind, dueOrder } from './claimable.js';
import { withFileLock } from './file-lock.js';
import type { TaskRecord } from './task-record.js';
import type { ClaimedTask, ClaimOptions, TaskStore } from './task-store.js';

export class TaskNotFoundError extends PgshiftError {
  constructor(name: string, where: string) {
    super('PGSHIFT_TASK_NOT_FOUND', `no task named ${name} in the task store ${where}`, {
      remedy: 'list the tasks with "pgshift task list", or create it with "pgshift task create -c FILE"',
    });
  }
}

export class TaskExistsError extends PgshiftError {
  constructor(name: string) {
    super('PGSHIFT_TASK_EXISTS', `a task named ${name} already exists`, {
      remedy: 'choose another task.name in the config, or look at it with "pgshift task show"',
    });
  }
}

function writeAtomically(path: string, content: string): void {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  renameSync(temp, path);
}

/**
 * The embedded store: one folder per task under a directory (task.json, the config copy, and
 * `run/`, the run's state directory). Every change happens under one O_EXCL lock file.
 */
export class FileTaskStore implements TaskStore {
  readonly root: string;
  readonly description: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.description = this.root;
  }

  private ensure(): void {
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
  }

  private lock<T>(body: () => T | Promise<T>): Promise<T> {
    this.ensure();
    return withFileLock(join(this.root, '.lock'), body);
  }

  taskDir(name: string): string {
    return join(this.root, name);
  }

  /** The state directory runs of this task use (lives in the task's folder). */
  runDir(name: string): string {
    return join(this.taskDir(name), 'run');
  }

  private read(name: string): TaskRecord | undefined {
    const path = join(this.taskDir(name), 'task.json');
    if (!existsSync(path)) return undefined;
    return JSON.parse(readFileSync(path, 'utf8')) as TaskRecord;
  }

  private write(record: TaskRecord): void {
    record.updatedAt = new Date().toISOString();
    writeAtomically(join(this.taskDir(record.name), 'task.json'), `${JSON.stringify(record, null, 2)}\n`);
  }

  async create(record: TaskRecord): Promise<void> {
    await this.lock(() => {
      if (this.read(record.name)) throw new TaskExistsError(record.name);
      mkdirSync(this.taskDir(record.name), { recursive: true, mode: 0o700 });
      writeAtomically(join(this.taskDir(record.name), record.config.fileName), record.config.text);
      this.write(record);
    });
  }

  async get(name: string): Promise<TaskRecord | undefined> {
    return this.read(name);
  }

  async list(): Promise<TaskRecord[]> {
    if (!existsSync(this.root)) return [];
    const out: TaskRecord[] = [];
    for (const entry of readdirSync(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const record = this.read(entry.name);
      if (record) out.push(record);
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
  }

  async update(name: string, change: (record: TaskRecord) => unknown): Promise<TaskRecord> {
    return this.lock(() => {
      const record = this.read(name);
      if (!record) throw new TaskNotFoundError(name, this.description);
      if (change(record) === false) return record;
      this.write(record);
      return record;
    });
  }

  async enqueue(): Promise<void> {
    // The record's status and dueAt are the queue.
  }

  async claimNext(options: ClaimOptions): Promise<ClaimedTask | undefined> {
    return this.lock(async () => {
      const records = await this.list();
      const candidates = records
        .map((record) => ({ record, kind: claimKind(record, options) }))
        .filter((c) => c.kind !== undefined)
        .sort((a, b) => dueOrder(a.record, b.record));
      const next = candidates[0];
      if (!next?.kind) return undefined;
      applyClaim(next.record, next.kind, options);
      this.write(next.record);
      return { record: next.record, takeover: next.kind === 'takeover', release: async () => {} };
    });
  }

  async close(): Promise<void> {}
}
