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
  /** Received messages waiting to be applied before reading from the source pauses. */
  queueMaxMessages: number;
  queueMaxBytes: number;
  /** Interval of standby status updates that keep the walsender from timing out. */
  statusIntervalMs: number;
  /** Interval of `lag` progress events and source position polls. */
  lagIntervalMs: number;
  /** How long to wait at start for a walsender of an earlier (killed) run to release the slot. */
  slotWaitMs: number;
}

export const DEFAULT_FOLLOW_OPTIONS: FollowOptions = {
  groupMaxChanges: 20_000,
  groupMaxMs: 1_000,
  batchMaxRows: 500,
  batchMaxBytes: 4 * 1024 * 1024,
  queueMaxMessages: 2_000,
  queueMaxBytes: 16 * 1024 * 1024,
  statusIntervalMs: 10_000,
  lagIntervalMs: 1_000,
  slotWaitMs: 60_000,
};

export const FOLLOW_OPTIONS_SCHEMA = {
  type: 'object',
  properties: Object.fromEntries(
    Object.keys(DEFAULT_FOLLOW_OPTIONS).map((key) => [key, { type: 'integer', minimum: 1 }]),
  ),
  additionalProperties: true,
} as const;

export function followOptions(options: Record<string, unknown> | undefined): FollowOptions {
  const out = { ...DEFAULT_FOLLOW_OPTIONS };
  for (const key of Object.keys(out) as (keyof FollowOptions)[]) {
    const value = options?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) out[key] = value;
  }
  return out;
}
