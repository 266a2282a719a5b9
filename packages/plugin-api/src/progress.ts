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
  | { type: 'message'; level: 'info' | 'warn'; text: string; at: string };

export type ProgressEventInput = ProgressEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'at'>
    : never
  : never;

export interface ProgressSink {
  emit(event: ProgressEventInput): void;
}

export const nullProgress: ProgressSink = { emit() {} };
