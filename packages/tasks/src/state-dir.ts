import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage, TargetWrite, TaskLimits } from '@pgshift/plugin-api';
import { PgshiftError } from '@pgshift/plugin-api';
import { combineChanges } from './task-limits.js';
import type { DatabaseState, TaskState, TaskStatus } from './task-state.js';

/** Writes through a temporary file and a rename, so a crash never leaves a half-written file. */
function writeAtomically(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new PgshiftError('PGSHIFT_STATE_CORRUPT', `the state file ${path} cannot be read`, {
      cause: error,
      remedy: 'move the state directory aside to start the task afresh (the target then needs cleaning)',
    });
  }
}

export type ControlRequest = {
  request: 'finish' | 'cancel';
  at: string;
  /** finish --keep-state: leave pgshift's bookkeeping on the target. */
  keepState?: boolean;
  /** Who asked (as in the task history). */
  origin?: string;
};

/** Live figures the running process publishes for `pgshift status`. */
export interface LiveStatus {
  pid: number;
  at: string;
  stage: Stage;
  databases: Record<
    string,
    {
      appliedLsn?: string;
      sourceLsn?: string;
      lagBytes?: string;
      lagSeconds?: number;
      applyRate?: number;
      transactionsApplied?: number;
      /** Writes to the target by others than pgshift while following (the write guard's record). */
      targetWrites?: TargetWrite[];
    }
  >;
  copy?: { rows: number; bytes: number; totalBytes: number; tablesDone: number; tablesTotal: number };
}

/**
 * A task's state directory: `state.json` (durable progress), `control.json` (finish/cancel
 * requests from other terminals), `limits.json` (rate limits set by `pgshift set`), `live.json`
 * (figures for `status`) and `run.lock`.
 */
export class StateDir {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  ensure(): void {
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
  }

  readState(): TaskState | undefined {
    return readJson<TaskState>(join(this.path, 'state.json'));
  }

  writeState(state: TaskState): void {
    state.updatedAt = new Date().toISOString();
    writeAtomically(join(this.path, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
  }

  transition(state: TaskState, status: TaskStatus, stage: Stage, note?: string): void {
    const at = new Date().toISOString();
    state.status = status;
    state.stage = stage;
    state.transitions.push({ status, stage, at, ...(note === undefined ? {} : { note }) });
    this.writeState(state);
  }

  /** The task is now in `stage` (its status unchanged); recorded only when the stage changes. */
  enterStage(state: TaskState, stage: Stage): void {
    if (state.stage !== stage) this.transition(state, state.status, stage);
  }

  updateDatabase(state: TaskState, database: string, patch: Partial<DatabaseState>): void {
    const current = state.databases[database] ?? { phase: 'pending' };
    state.databases[database] = { ...current, ...patch };
    this.writeState(state);
  }

  requestControl(request: ControlRequest['request'], options: { keepState?: boolean } = {}): void {
    this.ensure();
    const control: ControlRequest = { request, at: new Date().toISOString() };
    if (options.keepState) control.keepState = true;
    writeAtomically(join(this.path, 'control.json'), JSON.stringify(control));
  }

  readControl(): ControlRequest | undefined {
    return readJson<ControlRequest>(join(this.path, 'control.json'));
  }

  clearControl(): void {
    rmSync(join(this.path, 'control.json'), { force: true });
  }

  /**
   * Records a change of the task's rate limits (`pgshift set`), laid over earlier ones; the running
   * process reads it within a second or two, a later run at its start.
   */
  changeLimits(change: TaskLimits): TaskLimits {
    this.ensure();
    const limits = combineChanges(this.readLimits(), change);
    writeAtomically(join(this.path, 'limits.json'), JSON.stringify(limits));
    return limits;
  }

  /** The limit changes recorded for the task (0 lifts a limit of the config), if any. */
  readLimits(): TaskLimits | undefined {
    return readJson<TaskLimits>(join(this.path, 'limits.json'));
  }

  writeLive(live: LiveStatus): void {
    writeAtomically(join(this.path, 'live.json'), JSON.stringify(live));
  }

  readLive(): LiveStatus | undefined {
    return readJson<LiveStatus>(join(this.path, 'live.json'));
  }
}
