import type { MigrationMode } from './selection.js';

/** The stages of one task, in order. */
export const STAGES = [
  'checking',
  'schema',
  'full-copy',
  'post-data',
  'catch-up',
  'syncing',
  'finishing',
  'verifying',
  'done',
] as const;
export type Stage = (typeof STAGES)[number];

/** Stages a run enters only on some paths (a resumed follow, a finish); shown once reported. */
const STAGES_WHEN_REPORTED: readonly Stage[] = ['catch-up', 'finishing'];

/**
 * The stages a task of `mode` is expected to pass through, in order: what a display announces
 * before the first event. The one place that knows which stages each mode skips.
 */
export function expectedStages(mode: MigrationMode): Stage[] {
  return STAGES.filter(
    (stage) =>
      !STAGES_WHEN_REPORTED.includes(stage) &&
      (stage !== 'syncing' || mode === 'full+incremental') &&
      (stage !== 'full-copy' || mode !== 'schema'),
  );
}

export type ProgressEvent =
  | { type: 'stage'; stage: Stage; state: 'started' | 'done' | 'failed'; database?: string; at: string }
  | {
      type: 'table-progress';
      database: string;
      table: string;
      rows: number;
      bytes: number;
      totalBytes?: number;
      done: boolean;
      at: string;
    }
  | {
      type: 'copy-progress';
      database?: string;
      rows: number;
      bytes: number;
      totalBytes: number;
      tablesDone: number;
      tablesTotal: number;
      at: string;
    }
  | {
      type: 'lag';
      database: string;
      appliedLsn: string;
      sourceLsn: string;
      lagBytes: string;
      lagSeconds: number;
      applyRate: number;
      /** Source transactions applied by this run of the follower so far. */
      transactionsApplied?: number;
      at: string;
    }
  | {
      /** A schema change captured on the source while following, and what became of it. */
      type: 'schema-change';
      database: string;
      /** `database:id`, as a stop names it and `--ddl-applied` takes it. */
      id: string;
      statement: string;
      outcome: SchemaChangeOutcome;
      at: string;
    }
  | { type: 'message'; level: 'info' | 'warn'; text: string; at: string };

/** What became of a schema change captured on the source (see options.ddl). */
export type SchemaChangeOutcome =
  | 'applied'
  | 'already on the target'
  | 'applied by hand'
  | 'ignored'
  | 'outside selection';

export type ProgressEventInput = ProgressEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'at'>
    : never
  : never;

export interface ProgressSink {
  emit(event: ProgressEventInput): void;
}

export const nullProgress: ProgressSink = { emit() {} };
