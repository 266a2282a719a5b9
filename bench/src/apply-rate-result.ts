import type { MachineFacts } from './machine.js';

/* What the apply-rate benchmark (apply-rate.ts) is asked and what it measured. */

export interface ApplyRateOptions {
  transactions: number;
  scale: number;
  clients: number;
  major: number;
  /** Backlogs made and caught up one after another; the medians are reported. */
  rounds?: number;
  timeoutSeconds: number;
  install: boolean;
  writeDoc: boolean;
  /** fsync on (default); the smoke tests turn it off. */
  durable?: boolean;
  log?: (line: string) => void;
}

export interface ApplyResult {
  tool: string;
  status: 'ok' | 'failed' | 'mismatch' | 'unavailable';
  seconds?: number;
  rate?: number;
  peakRssBytes?: number;
  cpuSeconds?: number;
  /** Transactions committed in the target database and WAL fsyncs of the target server meanwhile. */
  targetCommits?: number;
  targetWalSyncs?: number;
  notes: string[];
  differences: string[];
  /** Catch-up seconds of each round, in round order (the row's figures are the median round's). */
  roundSeconds?: number[];
}

export interface Backlog {
  transactions: number;
  walBytes: string;
  seconds: number;
  startLsn: string;
  endLsn: string;
}

export interface ApplyRateResult {
  options: ApplyRateOptions;
  machine: MachineFacts;
  /** The first round's backlog (every round makes one of the same size). */
  backlog: Backlog;
  backlogs: Backlog[];
  results: ApplyResult[];
}
