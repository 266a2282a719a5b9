import type { ResolvedDatabase } from '@pgshift/plugin-api';
import { loadContext, type RunContext } from './run-context.js';

/**
 * While following, moves the target's sequences up to the source's every
 * `options.sequenceSyncSeconds` (the loader's `advanceSequences`, never back), one database after
 * another, and records in the task's state when each last did, with how many moved. A round that
 * fails is logged and tried again at the next one: following goes on regardless, and `finish`
 * sets every sequence exactly in any case. Returns the function that stops it, waiting for a
 * round in progress.
 */
export function startSequenceSync(
  run: RunContext,
  databases: readonly ResolvedDatabase[],
): () => Promise<void> {
  const seconds = run.task.config.options.sequenceSyncSeconds;
  if (!seconds || !run.loader.advanceSequences) return async () => {};
  let round: Promise<void> | undefined;
  const timer = setInterval(() => {
    round ??= syncRound(run, databases).finally(() => {
      round = undefined;
    });
  }, seconds * 1000);
  return async () => {
    clearInterval(timer);
    await round;
  };
}

async function syncRound(run: RunContext, databases: readonly ResolvedDatabase[]): Promise<void> {
  for (const database of databases) {
    if (run.signal.aborted) return;
    try {
      const advanced = (await run.loader.advanceSequences?.(loadContext(run, database))) ?? 0;
      run.stateDir.updateDatabase(run.state, database.name, {
        sequencesSyncedAt: new Date().toISOString(),
        sequencesAdvanced: advanced,
      });
    } catch (error) {
      run.task.logger.warn('could not bring the target sequences up to the source; trying again next round', {
        database: database.name,
        error: String((error as Error)?.message ?? error),
      });
    }
  }
}
