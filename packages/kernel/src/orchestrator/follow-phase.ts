import { compareLsn, connectionLoss, walInsertLsnSql } from '@pgshift/pg';
import { lagFigures, MigrationError, type ResolvedDatabase } from '@pgshift/plugin-api';
import type { LiveStatus } from '@pgshift/tasks';
import { withReconnect } from './reconnect.js';
import { type RunContext, replicationContext, replicatorFor } from './run-context.js';
import { startSequenceSync } from './sequence-sync.js';

export type FollowOutcome = 'finish' | 'cancel' | 'interrupted';

/** The source's current WAL position: everything committed up to now lies before it. */
async function currentSourceLsn(run: RunContext): Promise<string> {
  const version = await run.source.version();
  const { rows } = await run.source.query<{ lsn: string }>(
    `SELECT ${walInsertLsnSql(version.num)}::text AS lsn`,
  );
  const lsn = rows[0]?.lsn;
  if (!lsn) throw new Error('the source did not report its WAL position');
  return lsn;
}

function publishLive(run: RunContext, databases: ResolvedDatabase[]): void {
  const live: LiveStatus = {
    pid: process.pid,
    at: new Date().toISOString(),
    stage: run.state.stage,
    databases: {},
  };
  for (const db of databases) {
    const status = run.replicators.get(db.name)?.status();
    live.databases[db.name] = status
      ? { ...lagFigures(status), ...(status.targetWrites ? { targetWrites: status.targetWrites } : {}) }
      : {};
  }
  run.stateDir.writeLive(live);
}

/**
 * Every database has applied what the source had written when following began (the backlog of
 * the copy) and has nothing waiting: from here on it keeps up as the source commits.
 */
function caughtUp(run: RunContext, databases: ResolvedDatabase[], backlogEnd: string): boolean {
  return databases.every((db) => {
    const status = run.replicators.get(db.name)?.status();
    return (
      status !== undefined &&
      status.lagBytes === 0n &&
      status.lagSeconds === 0 &&
      compareLsn(status.sourceLsn, backlogEnd) >= 0
    );
  });
}

/** The target refused a change (options.onApplyError: retry tries it again), in a few words. */
function refusedChange(error: unknown): string | undefined {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'PGSHIFT_REPL_APPLY' ? `the target refused a change (${String(message)})` : undefined;
}

/**
 * Follows every database until the user finishes (drain to the source's position at that moment),
 * cancels, or interrupts this process (Ctrl-C: stop cleanly, keep the slot, resume on next run).
 */
export async function followAll(
  run: RunContext,
  databases: ResolvedDatabase[],
  options: { pollMs: number },
): Promise<FollowOutcome> {
  // What the source had written when following began: applied up to it, the catch-up is over.
  const backlogEnd = await currentSourceLsn(run);
  const stop = new AbortController();
  let outcome: FollowOutcome | undefined;
  let drainLsn: string | undefined;
  const onParentAbort = () => {
    outcome ??= 'interrupted';
    stop.abort();
  };
  run.signal.addEventListener('abort', onParentAbort, { once: true });

  const taskOptions = run.task.config.options;
  const followers = databases.map(async (db) => {
    const replicator = replicatorFor(run, db.name);
    const rctx = replicationContext(run, db);
    const consistentPoint = run.state.databases[db.name]?.consistentPoint;
    const follow = async () => {
      if ((await replicator.appliedPosition(rctx)) === undefined) {
        // The copy records it before following can start; without it no start position is safe.
        if (!consistentPoint)
          throw new MigrationError(
            'PGSHIFT_STATE_CORRUPT',
            `the task's state records no consistent point for database ${db.name}, and the target has no apply position`,
            { remedy: `cancel the task (pgshift cancel -c FILE) and run it again from the start` },
          );
        await replicator.initPosition(rctx, consistentPoint);
      }
      run.stateDir.updateDatabase(run.state, db.name, { phase: 'following' });
      await replicator.follow(rctx, { signal: stop.signal, drainTo: () => drainLsn });
    };
    // A lost connection: follow again from the position the target committed, as a rerun would.
    try {
      await withReconnect(run, `following database ${db.name}`, follow, {
        signal: stop.signal,
        ...(taskOptions.onApplyError === 'retry'
          ? { alsoRetry: { reason: refusedChange, attempts: taskOptions.applyRetries } }
          : {}),
      });
    } catch (error) {
      // Finished, cancelled or interrupted while waiting to reconnect: nothing is left to apply
      // here (a cancel drops the slot; a finish or a rerun reads the durable position).
      if (stop.signal.aborted && connectionLoss(error)) return;
      throw error;
    }
  });
  // One database failing stops the others, so the run ends instead of hanging.
  for (const follower of followers) follower.catch(() => stop.abort());

  const poller = setInterval(() => {
    publishLive(run, databases);
    if (run.state.stage === 'catch-up' && caughtUp(run, databases, backlogEnd)) run.stages.caughtUp();
    const control = run.stateDir.readControl();
    if (!control || outcome) return;
    if (control.request === 'cancel') {
      outcome = 'cancel';
      stop.abort();
    } else if (control.request === 'finish' && drainLsn === undefined) {
      currentSourceLsn(run).then(
        (lsn) => {
          outcome ??= 'finish';
          drainLsn = lsn;
          run.stages.finishRequested(lsn);
          run.progress.emit({
            type: 'message',
            level: 'info',
            text: `finishing: applying everything up to ${lsn}`,
          });
        },
        (error: unknown) =>
          run.task.logger.warn('could not read the source position for finish', { error: String(error) }),
      );
    }
  }, options.pollMs);
  const stopSequenceSync = startSequenceSync(run, databases);

  try {
    const results = await Promise.allSettled(followers);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      stop.abort();
      throw failed.reason;
    }
    // Followers return on drain or on abort; without either, treat as interrupted.
    return outcome ?? 'interrupted';
  } finally {
    clearInterval(poller);
    await stopSequenceSync();
    run.signal.removeEventListener('abort', onParentAbort);
    publishLive(run, databases);
  }
}
