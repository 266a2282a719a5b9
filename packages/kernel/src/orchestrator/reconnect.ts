import { connectionLoss } from '@pgshift/pg';
import { MigrationError } from '@pgshift/plugin-api';
import { pause, type Reconnecting } from '@pgshift/tasks';
import { backoffDelay } from './reconnect-policy.js';
import type { RunContext } from './run-context.js';

export interface ReconnectOptions {
  /** Aborting ends a wait at once; the last error is then thrown. */
  signal?: AbortSignal;
  /**
   * Runs after a loss, once both servers answer again and before the work is tried again (the
   * copy checks there whether the snapshot it read survived).
   */
  beforeRetry?: (lost: unknown) => Promise<void>;
  /**
   * Failures other than a lost connection that are worth trying again, up to `attempts` in a row
   * (options.onApplyError: retry). `reason` says why in a few words, or undefined for no retry.
   */
  alsoRetry?: { reason: (error: unknown) => string | undefined; attempts: number };
}

/**
 * Runs `work`, and when it fails because a connection was lost (connectionLoss), waits with
 * backoff until both servers answer, and runs it again: the work resumes from what is durably
 * recorded, as a rerun would, without the user rerunning anything. Any other error, or a loss
 * after `attempts` consecutive failures, ends the run. An attempt that ran longer than the
 * longest wait before failing had reconnected, so the count starts over.
 */
export async function withReconnect<T>(
  run: RunContext,
  what: string,
  work: () => Promise<T>,
  options: ReconnectOptions = {},
): Promise<T> {
  const policy = run.reconnect;
  let failures = 0;
  let lost: unknown;
  for (;;) {
    const startedAt = Date.now();
    try {
      if (lost !== undefined) {
        await answering(run);
        await options.beforeRetry?.(lost);
        settle(run, what);
      }
      return await work();
    } catch (error) {
      const loss = connectionLoss(error);
      const reason = loss ?? options.alsoRetry?.reason(error);
      if (reason === undefined) throw error;
      const limit = loss === undefined ? (options.alsoRetry?.attempts ?? 0) : policy.attempts;
      if (Date.now() - startedAt > policy.maxDelayMs) failures = 0;
      failures++;
      lost = error;
      if (failures > limit || options.signal?.aborted) {
        settle(run, what);
        if (loss === undefined) throw error;
        throw exhausted(what, failures - 1, error, reason);
      }
      const delay = backoffDelay(failures, policy);
      report(
        run,
        {
          what,
          attempt: failures,
          of: limit,
          lastError: reason,
          since: new Date().toISOString(),
          lost: loss !== undefined,
        },
        delay,
      );
      if (!(await pause(delay, options.signal))) {
        settle(run, what);
        throw error;
      }
    }
  }
}

/** Both servers take a connection and answer a query: the outage is over for them. */
async function answering(run: RunContext): Promise<void> {
  await Promise.all([run.source.query('SELECT 1'), run.target.query('SELECT 1')]);
}

function report(run: RunContext, reconnecting: Reconnecting, delayMs: number): void {
  run.state.reconnecting = reconnecting;
  run.stateDir.writeState(run.state);
  const wait = `${(delayMs / 1000).toFixed(1)} s (attempt ${reconnecting.attempt} of ${reconnecting.of})`;
  const text = reconnecting.lost
    ? `${reconnecting.what}: connection lost (${reconnecting.lastError}); reconnecting in ${wait}`
    : `${reconnecting.what}: ${reconnecting.lastError}; trying again in ${wait}`;
  run.task.logger.warn(text);
  run.progress.emit({ type: 'message', level: 'warn', text });
}

/** Clears the reconnecting status this work set (another database's may still stand). */
function settle(run: RunContext, what: string): void {
  if (run.state.reconnecting?.what !== what) return;
  delete run.state.reconnecting;
  run.stateDir.writeState(run.state);
  run.progress.emit({ type: 'message', level: 'info', text: `${what}: reconnected` });
}

function exhausted(what: string, attempts: number, error: unknown, reason: string): MigrationError {
  return new MigrationError(
    'PGSHIFT_CONNECTION_LOST',
    `${what}: the connection was lost (${reason})${attempts > 0 ? ` and ${attempts} attempt(s) to reconnect failed` : ''}`,
    {
      cause: error,
      remedy:
        'check that both servers run and are reachable from here (and through the jump host, if any), then run pgshift run again: ' +
        'it resumes from the durable position; options.reconnectAttempts and options.reconnectMaxDelaySeconds set how long a run waits by itself',
    },
  );
}
