import type { CopySummary, MigrationMode, Stage, TaskLimits } from '@pgshift/plugin-api';

export type TaskStatus = 'running' | 'following' | 'finishing' | 'completed' | 'cancelled' | 'failed';

/** Where one database stands; each step is recorded after it is durably done. */
export type DatabasePhase =
  | 'pending'
  | 'slot-created'
  | 'pre-data-done'
  | 'copied'
  | 'post-data-done'
  | 'following'
  | 'drained'
  | 'done';

export interface DatabaseState {
  phase: DatabasePhase;
  slotName?: string;
  publicationName?: string;
  /** LSN from which the slot streams; what the copy holds is everything committed before it. */
  consistentPoint?: string;
  /** The snapshot name the copy read (only valid while the slot's creating session lived). */
  snapshot?: string;
  copy?: CopySummary;
  /** While following: when the target's sequences were last moved up to the source's. */
  sequencesSyncedAt?: string;
  /** How many sequences that round moved. */
  sequencesAdvanced?: number;
  /** Schema changes captured on the source while following: how many, and the latest ones. */
  schemaChanges?: { total: number; latest: SchemaChangeRecord[] };
}

/** One schema change followed (or passed over) during sync, as the task's history keeps it. */
export interface SchemaChangeRecord {
  id: string;
  statement: string;
  outcome: string;
  at: string;
}

/** What `status` shows while a run waits to reconnect. */
export interface Reconnecting {
  /** What was interrupted: `following database shop`, `copying database shop`. */
  what: string;
  attempt: number;
  of: number;
  lastError: string;
  since: string;
  /** A lost connection (reconnecting), or a failure the apply error policy retries. */
  lost: boolean;
}

export interface Transition {
  status: TaskStatus;
  stage: Stage;
  at: string;
  note?: string;
}

/** Adds schema changes applied by hand to the state's list, each once. */
export function addDdlAppliedByHand(state: TaskState, ids: readonly string[]): void {
  if (ids.length === 0) return;
  state.ddlAppliedByHand = [...new Set([...(state.ddlAppliedByHand ?? []), ...ids])];
}

/** The durable record of one task's run, kept in its state directory. */
export interface TaskState {
  version: 1;
  task: string;
  mode: MigrationMode;
  status: TaskStatus;
  stage: Stage;
  startedAt: string;
  updatedAt: string;
  transitions: Transition[];
  databases: Record<string, DatabaseState>;
  /** The source's roles were created on the target (once per task; a resumed run skips it). */
  rolesCopied?: boolean;
  /** Why the task failed, and what to do; cleared when a run resumes it. */
  error?: { code: string; message: string; remedy?: string; details?: Record<string, unknown> };
  /** The rate limits the run applies (the config's, with changes made while it runs); {} = none. */
  limits?: TaskLimits;
  /**
   * Schema changes the user applied to the target by hand after following stopped before them
   * (`database:id`, `--ddl-applied`): passed over when the stream brings them again.
   */
  ddlAppliedByHand?: string[];
  /** Set while the run waits for a lost connection to come back; cleared once it has. */
  reconnecting?: Reconnecting;
  summary?: Record<string, unknown>;
}

export function newTaskState(task: string, mode: MigrationMode, now = new Date()): TaskState {
  const at = now.toISOString();
  return {
    version: 1,
    task,
    mode,
    status: 'running',
    stage: 'checking',
    startedAt: at,
    updatedAt: at,
    transitions: [{ status: 'running', stage: 'checking', at }],
    databases: {},
  };
}

export function isFinal(status: TaskStatus): boolean {
  return status === 'completed' || status === 'cancelled';
}

/**
 * Whether a run goes on from this state rather than starting over: the task is not over and got
 * past its prechecks. One that failed them (or stopped while running them) has nothing of its own
 * on the target yet, and must pass them before anything is written.
 */
export function resumable(state: TaskState): boolean {
  return !isFinal(state.status) && state.stage !== 'checking';
}
