import type { Logger } from './logger.js';
import type { ProgressSink } from './progress.js';
import type { ResolvedDatabase } from './selection.js';
import type { ServerHandle } from './server.js';
import type { Throttle } from './throttle.js';
import type { DecoderChoice, VersionCapabilities } from './version-policy.js';

export interface ReplicationContext {
  source: ServerHandle;
  target: ServerHandle;
  database: ResolvedDatabase;
  decoder: DecoderChoice;
  slotSnapshotSyntax: VersionCapabilities['slotSnapshotSyntax'];
  slotName: string;
  /** Publication pgshift manages when the decoder needs one. */
  publicationName: string;
  /** The task's name. Tuning is the replicator plugin's own options, given at register(). */
  taskName: string;
  /**
   * Writes to the target's tables by anyone but pgshift while following: reported as they happen
   * (`detect`, the default) or refused (`refuse`), until finish or cancel.
   */
  targetWrites?: 'detect' | 'refuse';
  /** How schema changes on the source during sync are handled (`options.ddl`); absent: `ignore`. */
  ddl?: DdlHandling;
  progress: ProgressSink;
  logger: Logger;
  /** The task's apply limit (`options.limits.apply`): rows and bytes of changes applied. Absent: none. */
  throttle?: Throttle;
}

/**
 * `replicate`: each schema change is applied on the target at its place in the stream. `stop`:
 * following stops before it, naming it and the remedy. `ignore`: changes pass unapplied.
 */
export type DdlPolicy = 'replicate' | 'stop' | 'ignore';

export interface DdlHandling {
  policy: DdlPolicy;
  /**
   * Schema changes the user applied to the target by hand after a stop (`database:id`, as the stop
   * names them): passed over when met again, and recorded as applied by hand.
   */
  appliedByHand?: readonly string[];
  /**
   * The policy is the default, not the user's choice: where the source cannot capture schema
   * changes (no superuser), they are ignored with a warning instead of the run being refused.
   */
  defaulted?: boolean;
}

/** A freshly created slot whose exported snapshot is still alive. */
export interface SlotHandle {
  slotName: string;
  /** LSN from which the slot streams; the snapshot shows exactly what committed before it. */
  consistentPoint: string;
  /** Snapshot name for `SET TRANSACTION SNAPSHOT`. */
  snapshot: string;
  /**
   * Ends the idle replication session that keeps the snapshot alive. Call it only after every
   * copy session has imported the snapshot.
   */
  release(): Promise<void>;
}

export interface FollowControl {
  /** Aborting stops following after the transaction group being applied is committed or rolled back. */
  signal: AbortSignal;
  /**
   * When set, follow returns once every change the source committed up to this LSN is applied
   * (used by finish). Read on every loop, so it may be set while following.
   */
  drainTo?: () => string | undefined;
}

export interface ReplicationStatus {
  /** Commit LSN of the last source transaction committed on the target. */
  appliedLsn: string;
  /** Latest WAL position the source reported. */
  sourceLsn: string;
  lagBytes: bigint;
  /** How long the oldest change received and not yet applied has waited; 0 when caught up. */
  lagSeconds: number;
  /** Source transactions applied per second, over the last few seconds. */
  applyRate: number;
  transactionsApplied: number;
  /** Writes to the target by others than pgshift seen while following, per table and operation. */
  targetWrites?: TargetWrite[];
}

/**
 * A status as it travels in lag events and live status files: JSON has no bigint, so lag bytes
 * become text. The one conversion, for every place that publishes a status.
 */
export function lagFigures(status: ReplicationStatus) {
  return {
    appliedLsn: status.appliedLsn,
    sourceLsn: status.sourceLsn,
    lagBytes: status.lagBytes.toString(),
    lagSeconds: status.lagSeconds,
    applyRate: status.applyRate,
    transactionsApplied: status.transactionsApplied,
  };
}

/** Writes someone else made to a target table during sync (see ReplicationContext.targetWrites). */
export interface TargetWrite {
  table: string;
  operation: string;
  writes: number;
  lastAt: string;
  lastRole: string;
}

/** Follows the source through logical decoding and applies its changes to the target. */
export interface Replicator {
  /** Creates what the slot needs before it exists (the publication for pgoutput). */
  prepare(ctx: ReplicationContext): Promise<void>;
  createSlot(ctx: ReplicationContext): Promise<SlotHandle>;
  /** Records, durably on the target, that the target holds everything up to `lsn`. */
  initPosition(ctx: ReplicationContext, lsn: string): Promise<void>;
  /** The durable apply position, or undefined when none was recorded. */
  appliedPosition(ctx: ReplicationContext): Promise<string | undefined>;
  /** Streams from the apply position and applies until stopped or drained. */
  follow(ctx: ReplicationContext, control: FollowControl): Promise<void>;
  status(): ReplicationStatus | undefined;
  /** Drops the slot, the publication and pgshift's bookkeeping on the source. */
  cleanup(ctx: ReplicationContext): Promise<void>;
}

/** Every method of Replicator. */
export const REPLICATOR_METHODS = [
  'prepare',
  'createSlot',
  'initPosition',
  'appliedPosition',
  'follow',
  'status',
  'cleanup',
] as const satisfies readonly (keyof Replicator)[];
