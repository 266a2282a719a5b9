import { MigrationError, type ResolvedDatabase, type SlotHandle } from '@pgshift/plugin-api';
import { copyDatabaseGlobals } from './instance-globals.js';
import { loadContext, type RunContext, replicationContext, replicatorFor } from './run-context.js';
import { ensureTargetDatabase } from './target-database.js';
import type { DatabasePhase } from './task-state.js';

const ORDER: DatabasePhase[] = [
  'pending',
  'pre-data-done',
  'slot-created',
  'copied',
  'post-data-done',
  'following',
  'drained',
  'done',
];

function reached(phase: DatabasePhase, wanted: DatabasePhase): boolean {
  return ORDER.indexOf(phase) >= ORDER.indexOf(wanted);
}

/**
 * Brings one database to the point where following can start: schema before the data, slot and
 * snapshot, the copy under that snapshot, post-data, sequences. Each step is recorded when done,
 * so a rerun after a crash continues where the last one stopped.
 */
export async function copyDatabase(run: RunContext, database: ResolvedDatabase): Promise<void> {
  const following = run.task.config.mode === 'full+incremental';
  // The schema alone: no rows, and no sequence values (those are data too).
  const schemaOnly = run.task.config.mode === 'schema';
  const record = (patch: Parameters<typeof run.stateDir.updateDatabase>[2]) =>
    run.stateDir.updateDatabase(run.state, database.name, patch);
  let phase = run.state.databases[database.name]?.phase ?? 'pending';
  if (reached(phase, 'post-data-done')) return;

  run.progress.emit({ type: 'stage', stage: 'schema', state: 'started', database: database.name });
  run.stateDir.enterStage(run.state, 'schema');
  if (!reached(phase, 'pre-data-done')) {
    const created = await ensureTargetDatabase(run.source, run.target, database.name);
    if (created && run.copyGlobals) await copyDatabaseGlobals(run, database.name);
    await run.loader.preData(loadContext(run, database));
    record({ phase: 'pre-data-done' });
    phase = 'pre-data-done';
  }
  run.progress.emit({ type: 'stage', stage: 'schema', state: 'done', database: database.name });

  let slot: SlotHandle | undefined;
  try {
    if (following && !reached(phase, 'copied')) slot = await takeSlot(run, database, phase);
    if (schemaOnly && !reached(phase, 'copied')) {
      record({ phase: 'copied' });
      phase = 'copied';
    }
    if (!reached(phase, 'copied')) {
      run.progress.emit({ type: 'stage', stage: 'full-copy', state: 'started', database: database.name });
      run.stateDir.enterStage(run.state, 'full-copy');
      const snapshot = slot?.snapshot;
      // Shared only under a snapshot the slot holds: helpers import it while it stays alive here.
      const summary =
        run.copyShare && snapshot
          ? await run.copyShare({
              database,
              snapshot,
              copyLocal: (part) => run.loader.copyData(loadContext(run, part, snapshot)),
            })
          : await run.loader.copyData(loadContext(run, database, snapshot));
      // Every copy session has imported the snapshot by now; the slot's session may end.
      await slot?.release();
      slot = undefined;
      record({ phase: 'copied', copy: summary });
      phase = 'copied';
      run.progress.emit({ type: 'stage', stage: 'full-copy', state: 'done', database: database.name });
    }
  } finally {
    await slot?.release().catch(() => {});
  }

  run.progress.emit({ type: 'stage', stage: 'post-data', state: 'started', database: database.name });
  run.stateDir.enterStage(run.state, 'post-data');
  const ctx = loadContext(run, database);
  await run.loader.postData(ctx);
  if (!schemaOnly) await run.loader.syncSequences(ctx);
  record({ phase: 'post-data-done' });
  run.progress.emit({ type: 'stage', stage: 'post-data', state: 'done', database: database.name });
}

/**
 * Creates the slot whose exported snapshot the copy reads. When a previous run created one and
 * died mid-copy, its snapshot died with it: the user's onLostSnapshot choice decides.
 */
async function takeSlot(
  run: RunContext,
  database: ResolvedDatabase,
  phase: DatabasePhase,
): Promise<SlotHandle> {
  const replicator = replicatorFor(run, database.name);
  const rctx = replicationContext(run, database);
  if (phase === 'slot-created') {
    const choice = run.task.config.options.onLostSnapshot;
    if (choice !== 'restart') {
      throw new MigrationError(
        'PGSHIFT_SNAPSHOT_LOST',
        `the full copy of database ${database.name} was interrupted, and the snapshot it was reading ended with that run. ` +
          'Continuing would mix data from different points in time.',
        {
          remedy:
            'run again with --on-lost-snapshot restart to copy this database again under a new snapshot and slot ' +
            '(the copied tables are emptied first), or cancel the task',
        },
      );
    }
    run.task.logger.warn('restarting the copy of a database under a new snapshot', {
      database: database.name,
    });
    await replicator.cleanup(rctx);
  }
  await replicator.prepare(rctx);
  const slot = await replicator.createSlot(rctx);
  run.stateDir.updateDatabase(run.state, database.name, {
    phase: 'slot-created',
    slotName: slot.slotName,
    publicationName: rctx.publicationName,
    consistentPoint: slot.consistentPoint,
    snapshot: slot.snapshot,
  });
  return slot;
}
