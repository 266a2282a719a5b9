import { openClient, quoteIdent, snapshotAlive } from '@pgshift/pg';
import { MigrationError, PgshiftError, type ResolvedDatabase, type SlotHandle } from '@pgshift/plugin-api';
import type { DatabasePhase } from '@pgshift/tasks';
import { copyDatabaseGlobals } from './instance-globals.js';
import { withReconnect } from './reconnect.js';
import { loadContext, type RunContext, replicationContext, replicatorFor } from './run-context.js';
import { ensureTargetDatabase } from './target-database.js';

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

  run.stages.databaseStageStarted('schema', database.name);
  if (!reached(phase, 'pre-data-done')) {
    // The schema goes in in one target transaction: a lost connection leaves nothing half made.
    let createdHere = false;
    try {
      await withReconnect(run, `creating the schema of database ${database.name}`, async () => {
        const created = await ensureTargetDatabase(run.source, run.target, database.name);
        createdHere ||= created;
        if (created && run.copyGlobals) await copyDatabaseGlobals(run, database.name);
        await run.loader.preData(loadContext(run, database));
      });
    } catch (error) {
      if (createdHere) throw await undoCreatedDatabase(run, database.name, error);
      throw error;
    }
    record({ phase: 'pre-data-done' });
    phase = 'pre-data-done';
  }
  run.stages.databaseStageDone('schema', database.name);

  let slot: SlotHandle | undefined;
  try {
    if (following && !reached(phase, 'copied')) slot = await takeSlot(run, database, phase);
    if (schemaOnly && !reached(phase, 'copied')) {
      record({ phase: 'copied' });
      phase = 'copied';
    }
    if (!reached(phase, 'copied')) {
      run.stages.databaseStageStarted('full-copy', database.name);
      // Each chunk commits with its progress mark, so after a lost connection the copy goes on
      // where it stopped, under the same snapshot while the slot's session still holds it.
      const summary = await withReconnect(
        run,
        `copying database ${database.name}`,
        () => copyRows(run, database, slot?.snapshot),
        {
          signal: run.signal,
          beforeRetry: async () => {
            if (slot) slot = await keepSnapshot(run, database, slot);
          },
        },
      );
      // Every copy session has imported the snapshot by now; the slot's session may end.
      await slot?.release();
      slot = undefined;
      record({ phase: 'copied', copy: summary });
      phase = 'copied';
      run.stages.databaseStageDone('full-copy', database.name);
    }
  } finally {
    await slot?.release().catch(() => {});
  }

  run.stages.databaseStageStarted('post-data', database.name);
  const ctx = loadContext(run, database);
  // Post-data items are each recorded when made, and sequences are set, not added to: both can
  // be done again after a lost connection.
  await withReconnect(run, `creating indexes and constraints in database ${database.name}`, async () => {
    await run.loader.postData(ctx);
    if (!schemaOnly) await run.loader.syncSequences(ctx);
  });
  record({ phase: 'post-data-done' });
  run.stages.databaseStageDone('post-data', database.name);
}

/**
 * The schema failed in a database this run created: it goes again, so the target is as it was
 * and a rerun starts clean. The error says so, or says exactly what is left.
 */
async function undoCreatedDatabase(run: RunContext, database: string, error: unknown): Promise<unknown> {
  const base = error instanceof Error ? error.message : String(error);
  let note: string;
  try {
    await run.target.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
    note = `the database ${database} this run created on the target was dropped again: the target is as it was`;
  } catch (dropError) {
    note =
      `the database ${database} this run created on the target is left there (dropping it failed: ${String((dropError as Error)?.message ?? dropError)}); ` +
      `DROP DATABASE ${quoteIdent(database)} removes it`;
  }
  run.task.logger.warn(note);
  if (error instanceof PgshiftError)
    return new PgshiftError(error.code, `${base}; ${note}`, {
      cause: error,
      ...(error.remedy ? { remedy: error.remedy } : {}),
      ...(error.details ? { details: error.details } : {}),
    });
  return new MigrationError(
    'PGSHIFT_SCHEMA_APPLY',
    `creating the schema of database ${database} failed: ${base}; ${note}`,
    {
      cause: error,
      remedy:
        'fix the cause the error names (a role, an extension, an object the target refuses), then run again',
    },
  );
}

/** The rows of one database, under `snapshot` when following (shared with other workers if any). */
function copyRows(run: RunContext, database: ResolvedDatabase, snapshot: string | undefined) {
  // Shared only under a snapshot the slot holds: helpers import it while it stays alive here.
  if (run.copyShare && snapshot)
    return run.copyShare({
      database,
      snapshot,
      copyLocal: (part) => run.loader.copyData(loadContext(run, part, snapshot)),
    });
  return run.loader.copyData(loadContext(run, database, snapshot));
}

/**
 * After a lost connection, before the copy goes on: the snapshot lives as long as the slot's
 * session on the source. A target outage leaves it alive; a source outage ends it, and the
 * user's onLostSnapshot choice decides, as it does for a rerun.
 */
async function keepSnapshot(
  run: RunContext,
  database: ResolvedDatabase,
  slot: SlotHandle,
): Promise<SlotHandle> {
  const open = () => openClient(run.source.route.connection({ database: database.name }), 'pgshift-copy');
  if (await snapshotAlive(open, slot.snapshot)) return slot;
  await slot.release();
  const because =
    'the connection to the source was lost during the copy, and the snapshot it read ended with it';
  if (run.task.config.options.onLostSnapshot !== 'restart') throw snapshotLost(database, because);
  const text = `${because}: copying database ${database.name} again under a new snapshot and slot (options.onLostSnapshot: restart)`;
  run.task.logger.warn(text, { database: database.name });
  run.progress.emit({ type: 'message', level: 'warn', text });
  return takeSlot(run, database, 'slot-created');
}

function snapshotLost(database: ResolvedDatabase, because: string): MigrationError {
  return new MigrationError(
    'PGSHIFT_SNAPSHOT_LOST',
    `the full copy of database ${database.name} was interrupted (${because}). Continuing would mix data from different points in time.`,
    {
      remedy:
        'run again with --on-lost-snapshot restart (or options.onLostSnapshot: restart) to copy this database again under a new snapshot and slot ' +
        '(the copied tables are emptied first), or cancel the task',
    },
  );
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
    if (run.task.config.options.onLostSnapshot !== 'restart')
      throw snapshotLost(database, 'the snapshot it was reading ended with the run that made it');
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
