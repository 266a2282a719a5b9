/**
 * A task's rate limits (`options.limits` in the config, changed while running by `pgshift set` or
 * `pgshift task set`). A field absent or 0 is unlimited.
 */
export interface RateLimit {
  rowsPerSecond?: number;
  /** Megabytes (10^6 bytes) per second. */
  megabytesPerSecond?: number;
}

/** One limit per direction: `copy` (COPY bytes and rows read from the source), `apply` (changes applied). */
export interface TaskLimits {
  copy?: RateLimit;
  apply?: RateLimit;
}

/**
 * What a loader or replicator takes from before it moves rows: one token bucket per task and
 * direction, shared by every copy job (or every database's apply) of the task, its rate changeable
 * while the task runs. Given as the optional `throttle` of LoadContext and ReplicationContext; a
 * plugin without it, or given none, moves at full speed.
 *
 * Callers charge what they read (`take`) and wait only when it returns a promise. Requests are
 * served in the order they came; one larger than a second's worth goes through once the bucket is
 * full and leaves it in debt, so the rate holds over time whatever the request sizes.
 */
export interface Throttle {
  /**
   * Charges `rows` and `bytes`. Returns undefined when the caller may go on at once (always so
   * while unlimited, with no promise made), else a promise that resolves when it may.
   */
  take(rows: number, bytes: number): Promise<void> | undefined;
  /**
   * Whether a limit is in force now; callers may skip counting rows while it is not (it changes
   * while the task runs, so read it each time).
   */
  readonly limited: boolean;
}
