import type { Logger } from './logger.js';
import type { ProgressSink } from './progress.js';
import type { ResolvedDatabase } from './selection.js';
import type { ServerHandle } from './server.js';
import type { Throttle } from './throttle.js';

/** What to do when a full copy resumes and the snapshot it was reading is gone. */
export type LostSnapshotChoice = 'fail' | 'restart' | 'per-table';

/** The task's settings for loading, typed: what the config's `options` and `mode` say. */
export interface LoadOptions {
  /** The task's name, for naming what the loader keeps on the target (its progress marks). */
  taskName: string;
  /** Copy ownership (ALTER ... OWNER TO). Off by default: target roles rarely match. */
  copyOwners: boolean;
  /** Copy GRANTs. Off by default. */
  copyPrivileges: boolean;
  /** Copy the source's publications. Off by default. */
  copyPublications?: boolean;
  /** The mode copies the schema alone: postData leaves out what is data (large objects' contents). */
  schemaOnly?: boolean;
  /**
   * The target follows the source after the copy (full+incremental): what would refuse the
   * source's changes is relaxed until finish (ALWAYS identity columns run BY DEFAULT).
   */
  following?: boolean;
  onLostSnapshot: LostSnapshotChoice;
  /** Tables larger than this many bytes are split into ranges that several workers share. */
  splitTableBytes: number;
}

/** One database's load: the loader works database by database. */
export interface LoadContext {
  source: ServerHandle;
  target: ServerHandle;
  database: ResolvedDatabase;
  /**
   * An exported snapshot every copy session imports. When following, it comes from the
   * replication slot; absent, the loader exports one of its own.
   */
  snapshot?: string;
  /** Parallel copy workers. */
  jobs: number;
  options: LoadOptions;
  progress: ProgressSink;
  logger: Logger;
  signal?: AbortSignal;
  /**
   * The task's copy limit (`options.limits.copy`): the rows and COPY bytes read from the source are
   * taken from it. Absent: no limit.
   */
  throttle?: Throttle;
}

export interface CopySummary {
  tables: number;
  rows: number;
  bytes: number;
  /** Tables found already copied by an earlier, interrupted run and not copied again. */
  skipped: number;
  /** Whether the rows came from one snapshot (false when resumed with per-table snapshots). */
  consistent: boolean;
}

/**
 * Moves schema and data. The orchestrator calls the phases in order: preData, copyData (which may
 * build each table's indexes as soon as its data is in), postData, syncSequences, and finish once
 * the migration is over.
 */
export interface Loader {
  preData(ctx: LoadContext): Promise<void>;
  copyData(ctx: LoadContext): Promise<CopySummary>;
  postData(ctx: LoadContext): Promise<void>;
  syncSequences(ctx: LoadContext): Promise<void>;
  /**
   * While following: moves every target sequence up to the source's current value, never back,
   * so a target promoted without `finish` hands out no value the source already gave. Called at
   * `options.sequenceSyncSeconds`; returns how many sequences moved. A loader without it leaves
   * sequences to `syncSequences` at finish.
   */
  advanceSequences?(ctx: LoadContext): Promise<number>;
  /**
   * The migration is over (following drained, or the full copy done), just before the final
   * verify: enable what was held back while pgshift wrote to the target (event triggers, created
   * disabled). Idempotent.
   */
  finish?(ctx: LoadContext): Promise<void>;
  /**
   * The task is complete (verified; slots dropped): remove what the loader kept on the target
   * for itself (progress marks), unless the user asked to keep it. Returns a sentence saying
   * what was removed, for the user.
   */
  cleanup?(ctx: LoadContext): Promise<string | undefined>;
}

/**
 * The methods of Loader the orchestrator calls in order (`finish` is optional; `advanceSequences`,
 * called while following, is optional and not listed).
 */
export const LOADER_METHODS = [
  'preData',
  'copyData',
  'postData',
  'syncSequences',
  'finish',
  'cleanup',
] as const satisfies readonly (keyof Loader)[];
