import type {
  FollowControl,
  ReplicationContext,
  ReplicationStatus,
  Replicator,
  SlotHandle,
} from '@pgshift/plugin-api';
import { canCaptureDdl, installDdlCapture, removeDdlCapture } from './ddl-capture.js';
import { CODES, ReplicationError } from './errors.js';
import { Follower } from './follower.js';
import { LagTracker } from './lag-tracker.js';
import { type FollowOptions, followOptions } from './options.js';
import { clearPosition, initPosition, readPosition } from './progress-store.js';
import { dropPublication, preparePublication } from './publication.js';
import { createSlot, dropSlot } from './slot.js';
import { installTruncateCapture, removeTruncateCapture } from './truncate-capture.js';
import { installWriteGuard, removeWriteGuard, TargetWriteWatch } from './write-guard.js';

/**
 * pgshift's replicator: a permanent logical slot whose exported snapshot the full copy reads,
 * then transactional apply with the position committed alongside the changes.
 */
export class LogicalReplicator implements Replicator {
  readonly #options: FollowOptions;
  #tracker: LagTracker | undefined;
  #watch: TargetWriteWatch | undefined;

  /** Tuning (the plugin's options); what is missing or invalid takes its default. */
  constructor(options: Readonly<Partial<Record<keyof FollowOptions, unknown>>> = {}) {
    this.#options = followOptions(options);
  }

  async prepare(ctx: ReplicationContext): Promise<void> {
    if (ctx.decoder.publication) await preparePublication(ctx);
    // Before the slot exists, so every TRUNCATE and schema change after its snapshot is captured.
    await installTruncateCapture(ctx);
    if (capturesDdl(ctx)) {
      const capturable = await canCaptureDdl(ctx);
      // Without capture, stop still holds where the stream announces a table's new definition.
      if (!capturable && (ctx.ddl?.defaulted || ctx.ddl?.policy === 'stop')) {
        ctx.logger.warn(UNCAPTURED_WARNING);
        return;
      }
      if (!capturable)
        throw new ReplicationError(
          CODES.ddlCapture,
          `options.ddl is ${ctx.ddl?.policy}, which needs event triggers on the source, and the source role is not a superuser`,
          {
            remedy:
              'connect to the source as a superuser, or set options.ddl to ignore (schema changes during sync are then not followed: make them on both servers yourself)',
          },
        );
      await installDdlCapture(ctx);
    }
  }

  createSlot(ctx: ReplicationContext): Promise<SlotHandle> {
    return createSlot(ctx);
  }

  initPosition(ctx: ReplicationContext, lsn: string): Promise<void> {
    return initPosition(ctx, lsn);
  }

  /** End of the last applied commit record (or the slot's consistent point): decoding resumes there. */
  async appliedPosition(ctx: ReplicationContext): Promise<string | undefined> {
    return (await readPosition(ctx))?.endLsn;
  }

  async follow(ctx: ReplicationContext, control: FollowControl): Promise<void> {
    const tracker = new LagTracker();
    this.#tracker = tracker;
    await installWriteGuard(ctx);
    const watch = new TargetWriteWatch(ctx);
    this.#watch = watch;
    let polling = false;
    const timer = setInterval(() => {
      if (polling) return;
      polling = true;
      watch
        .poll()
        .catch(() => {})
        .finally(() => {
          polling = false;
        });
    }, this.#options.writeWatchIntervalMs);
    try {
      await new Follower(ctx, control, this.#options, tracker).run();
    } finally {
      clearInterval(timer);
    }
  }

  status(): ReplicationStatus | undefined {
    const status = this.#tracker?.status();
    const writes = this.#watch?.writes ?? [];
    return status && writes.length > 0 ? { ...status, targetWrites: writes } : status;
  }

  async cleanup(ctx: ReplicationContext): Promise<void> {
    await dropSlot(ctx);
    if (ctx.decoder.publication) await dropPublication(ctx);
    await removeDdlCapture(ctx);
    await removeTruncateCapture(ctx);
    await removeWriteGuard(ctx);
    await clearPosition(ctx);
  }
}

const UNCAPTURED_WARNING =
  'the source role is not a superuser, so schema changes during sync cannot be captured: following stops at the first change to a table whose columns no longer match the target (pgoutput, sources 10 and later); make each change on the target first, then on the source, or connect as a superuser to have them followed';

/** Schema changes are captured unless they are to be ignored. */
function capturesDdl(ctx: ReplicationContext): boolean {
  return ctx.ddl !== undefined && ctx.ddl.policy !== 'ignore';
}
