/** Tuning of the follower; every field may be set in the replicator plugin's options. */
export interface FollowOptions {
  /** Close a group (one target transaction) after this many row changes, at a source commit. */
  groupMaxChanges: number;
  /** ... or after it has been open this long, at a source commit. */
  groupMaxMs: number;
  /** Rows per batched statement. */
  batchMaxRows: number;
  /** Approximate value bytes per batched statement. */
  batchMaxBytes: number;
  /** Rows held folded per key (over all tables) before they are sent as statements. */
  foldMaxRows: number;
  /** Approximate value bytes held folded before they are sent. */
  foldMaxBytes: number;
  /** Statements sent to the target together in one round trip. */
  pipelineMaxStatements: number;
  /** Bytes of SQL gathered before it is sent (one more such script may be running). */
  pipelineMaxBytes: number;
  /** Received messages waiting to be applied before reading from the source pauses. */
  queueMaxMessages: number;
  queueMaxBytes: number;
  /** Interval of standby status updates that keep the walsender from timing out. */
  statusIntervalMs: number;
  /** Interval of `lag` progress events and source position polls. */
  lagIntervalMs: number;
  /** How long to wait at start for a walsender of an earlier (killed) run to release the slot. */
  slotWaitMs: number;
  /** Interval at which writes to the target by others (the write guard's record) are looked for. */
  writeWatchIntervalMs: number;
  /**
   * Target sessions that apply source transactions with disjoint keys side by side
   * (docs/incremental-sync.md, "Parallel apply"); 1 applies everything on one session.
   */
  applySessions: number;
  /** With several apply sessions: a transaction with more row changes is applied alone, streamed. */
  parallelMaxTransactionChanges: number;
  /** ... or with more bytes of values. */
  parallelMaxTransactionBytes: number;
}

export const DEFAULT_FOLLOW_OPTIONS: FollowOptions = {
  groupMaxChanges: 20_000,
  groupMaxMs: 1_000,
  batchMaxRows: 500,
  batchMaxBytes: 4 * 1024 * 1024,
  foldMaxRows: 5_000,
  foldMaxBytes: 4 * 1024 * 1024,
  pipelineMaxStatements: 500,
  pipelineMaxBytes: 1024 * 1024,
  queueMaxMessages: 2_000,
  queueMaxBytes: 16 * 1024 * 1024,
  statusIntervalMs: 10_000,
  lagIntervalMs: 1_000,
  slotWaitMs: 60_000,
  writeWatchIntervalMs: 5_000,
  applySessions: 1,
  parallelMaxTransactionChanges: 10_000,
  parallelMaxTransactionBytes: 4 * 1024 * 1024,
};

/** What each option means, for the schema (and so the generated config reference). */
const DESCRIPTIONS: Record<keyof FollowOptions, string> = {
  groupMaxChanges: 'Row changes after which a group (one target transaction) ends, at a source commit.',
  groupMaxMs: 'Milliseconds after which a group ends, at a source commit.',
  batchMaxRows: 'Rows per batched INSERT, UPDATE or DELETE.',
  batchMaxBytes: 'Approximate value bytes per batched statement.',
  foldMaxRows: 'Rows held folded per key (over all tables) before they are sent; bounds memory.',
  foldMaxBytes: 'Approximate value bytes held folded before they are sent; bounds memory.',
  pipelineMaxStatements: 'Statements sent to the target together in one round trip.',
  pipelineMaxBytes: 'Bytes of SQL gathered before it is sent (one more such script may be running).',
  queueMaxMessages: 'Received messages waiting to be applied before reading from the source pauses.',
  queueMaxBytes: 'Received bytes waiting to be applied before reading from the source pauses.',
  statusIntervalMs: 'Interval of standby status updates that keep the walsender from timing out.',
  lagIntervalMs: 'Interval of lag progress events and source position polls.',
  slotWaitMs: 'How long to wait at start for a walsender of an earlier (killed) run to release the slot.',
  writeWatchIntervalMs: 'Interval at which writes to the target by others than pgshift are looked for.',
  applySessions:
    'Target sessions applying source transactions that touch disjoint keys side by side (1: one session, in commit order). Needs pgoutput and replica role on the target; see docs/incremental-sync.md, Parallel apply.',
  parallelMaxTransactionChanges:
    'With several apply sessions: a source transaction with more row changes is applied alone, streamed, after the others committed.',
  parallelMaxTransactionBytes:
    'With several apply sessions: a source transaction with more bytes of values is applied alone, streamed, after the others committed.',
};

/** Upper bounds where one matters: each apply session is a target connection. */
const MAXIMA: Partial<Record<keyof FollowOptions, { maximum: number }>> = { applySessions: { maximum: 32 } };

export const FOLLOW_OPTIONS_SCHEMA = {
  type: 'object',
  properties: Object.fromEntries(
    (Object.keys(DEFAULT_FOLLOW_OPTIONS) as (keyof FollowOptions)[]).map((key) => [
      key,
      { type: 'integer', minimum: 1, ...MAXIMA[key], description: DESCRIPTIONS[key] },
    ]),
  ),
  additionalProperties: false,
} as const;

export function followOptions(options: Readonly<Record<string, unknown>> | undefined): FollowOptions {
  const out = { ...DEFAULT_FOLLOW_OPTIONS };
  for (const key of Object.keys(out) as (keyof FollowOptions)[]) {
    const value = options?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) out[key] = value;
  }
  return out;
}
