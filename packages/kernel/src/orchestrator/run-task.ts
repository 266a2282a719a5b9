import { targetOlderProblem } from '@pgshift/pg';
import {
  MigrationError,
  type MigrationMode,
  modeRefusedProblem,
  nullProgress,
  type ProgressSink,
  policyCovering,
  type ResolvedDatabase,
  type ResolvedSelection,
  type ServerVersion,
  uncoveredSourceProblem,
  type VersionCapabilities,
} from '@pgshift/plugin-api';
import {
  acquireRunLock,
  addDdlAppliedByHand,
  type CopyShare,
  newTaskState,
  resumable,
  StateDir,
  type TaskState,
} from '@pgshift/tasks';
import type { CheckReport } from '../checks/run-checks.js';
import type { LoadedTask } from '../loaded-task.js';
import {
  type ResumePoint,
  requireDeclaredCapabilities,
  requireDecoderCapability,
  requireResumeCapability,
} from '../plugins/capability-rules.js';
import { TaskThrottles } from '../throttle/task-throttles.js';
import { copyDatabase } from './copy-phase.js';
import { followAll } from './follow-phase.js';
import { carriesGlobals, copyRoles } from './instance-globals.js';
import type { MigrationDeps, VerifyOutcome } from './migration-deps.js';
import { reconnectPolicy } from './reconnect-policy.js';
import { loadContext, type RunContext, replicationContext, replicatorFor } from './run-context.js';
import { settleDecoder } from './settle-decoder.js';
import { StageMoves } from './stage-moves.js';

export interface RunTaskOptions {
  deps: MigrationDeps;
  progress?: ProgressSink;
  /** Aborting stops the run cleanly (Ctrl-C); the task resumes on the next run. */
  signal?: AbortSignal;
  /** Verify after a full copy and at finish (default true). */
  verify?: boolean;
  pollMs?: number;
  /** The state directory to use instead of the config's (the task store passes one that mirrors it). */
  stateDir?: StateDir;
  /** Lets other workers copy part of each database under the same snapshot (task store workers). */
  copyShare?: CopyShare;
  /** Leave pgshift's bookkeeping on the target when the task completes (also `finish --keep-state`). */
  keepState?: boolean;
  /** Schema changes the user applied to the target by hand after a stop (`database:id`). */
  ddlAppliedByHand?: string[];
}

export type RunOutcome =
  | { status: 'checks-failed'; checks: CheckReport }
  | { status: 'completed'; state: TaskState; verify: VerifyOutcome[] }
  | { status: 'verify-failed'; state: TaskState; verify: VerifyOutcome[] }
  | { status: 'cancelled'; state: TaskState; cleanupAdvice: string[] }
  | { status: 'interrupted'; state: TaskState };

/** The capabilities of the source's version under its policy, refusing what the mode needs but lacks. */
function pickCapabilities(
  task: LoadedTask,
  version: ServerVersion,
  mode: MigrationMode,
): VersionCapabilities {
  const policies = task.policies();
  const policy = policyCovering(policies, version.num);
  if (!policy) {
    const problem = uncoveredSourceProblem(version, policies);
    throw new MigrationError('PGSHIFT_NO_POLICY', problem.message, { remedy: problem.remedy });
  }
  const capabilities = policy.capabilities(version.num);
  const refused = modeRefusedProblem(policy, version, capabilities, mode);
  if (refused)
    throw new MigrationError('PGSHIFT_NO_INCREMENTAL', refused.message, { remedy: refused.remedy });
  return capabilities;
}

/** What a resumed run continues: a copy that began (its schema is in) or following. */
function resumePoints(state: TaskState): ResumePoint[] {
  const phases = Object.values(state.databases).map((db) => db.phase);
  const points: ResumePoint[] = [];
  if (phases.includes('pre-data-done')) points.push('copy');
  if (state.status === 'following' || state.status === 'finishing') points.push('following');
  return points;
}

/** Runs a task from wherever its state directory says it stopped, to completion or a clean stop. */
export async function runTask(task: LoadedTask, options: RunTaskOptions): Promise<RunOutcome> {
  const { config } = task;
  requireDeclaredCapabilities(task);
  const stateDir = options.stateDir ?? new StateDir(config.options.stateDir);
  stateDir.ensure();
  const releaseLock = acquireRunLock(stateDir.path, config.task.name);
  let recorded: TaskState | undefined;
  let throttles: TaskThrottles | undefined;
  try {
    let state = stateDir.readState();
    const resuming = state !== undefined && resumable(state);
    if (!state || !resuming) {
      state = newTaskState(config.task.name, config.mode);
      stateDir.clearControl();
      stateDir.writeState(state);
    } else if (state.error) {
      delete state.error;
      stateDir.writeState(state);
    }
    if (options.ddlAppliedByHand) {
      addDdlAppliedByHand(state, options.ddlAppliedByHand);
      stateDir.writeState(state);
    }
    recorded = state;
    const progress = options.progress ?? nullProgress;
    const stages = new StageMoves(stateDir, state, progress);

    // A fresh run checks both sides first; a resumed one has objects of its own on the target,
    // which the conflict check would report, so it only needs the servers to answer.
    // The checks settle the decoder too (a probe slot per candidate); a fresh run keeps their choice.
    let checkedCapabilities: VersionCapabilities | undefined;
    if (!resuming) {
      stages.checksStarted();
      const checks = await options.deps.runChecks(task);
      checkedCapabilities = checks.capabilities;
      for (const item of checks.items.filter((i) => i.status === 'warning')) {
        progress.emit({ type: 'message', level: 'warn', text: `${item.id}: ${item.message}` });
      }
      stages.checksEnded(checks.ok);
      if (!checks.ok) return { status: 'checks-failed', checks };
    }

    const source = await task.openServer('source');
    const target = await task.openServer('target');
    const [sourceVersion, targetVersion] = await Promise.all([source.version(), target.version()]);
    const older = targetOlderProblem(sourceVersion.num, targetVersion.num);
    if (older) throw new MigrationError('PGSHIFT_TARGET_OLDER', older.message, { remedy: older.remedy });
    let capabilities = pickCapabilities(task, sourceVersion, config.mode);
    if (config.mode === 'full+incremental' && checkedCapabilities?.decoder)
      capabilities = checkedCapabilities;
    else if (config.mode === 'full+incremental') {
      const settled = await settleDecoder(config.task.name, source, capabilities);
      capabilities = settled.capabilities;
      if (settled.note) task.logger.info(settled.note);
    }
    if (config.mode === 'full+incremental') requireDecoderCapability(task, capabilities.decoder);
    const controller = new AbortController();
    options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const run: RunContext = {
      task,
      deps: options.deps,
      stateDir,
      state,
      source,
      target,
      capabilities,
      progress,
      stages,
      loader: task.loader(),
      replicators: new Map(),
      signal: controller.signal,
      reconnect: reconnectPolicy(config.options),
      ...(options.copyShare ? { copyShare: options.copyShare } : {}),
    };
    throttles = new TaskThrottles(config.options.limits, { stateDir, state, logger: task.logger, progress });
    run.throttles = throttles.watch(run.signal);

    const selection = await options.deps.resolveSelection(source, config.objects);
    // A cancel recorded while no process ran the task comes first: a task whose apply keeps
    // failing (or whose target database is gone) still gives back its slot and publication.
    if (resuming && stateDir.readControl()?.request === 'cancel') return await cancelRun(run, selection);
    if (resuming) for (const point of resumePoints(state)) requireResumeCapability(task, point);
    if (!resuming) stages.copyBegins();
    run.copyGlobals = carriesGlobals(config.options, selection);
    if (run.copyGlobals && !state.rolesCopied) {
      await copyRoles(run);
      state.rolesCopied = true;
      stateDir.writeState(state);
    }
    for (const database of selection.databases) {
      if (run.signal.aborted) return { status: 'interrupted', state };
      await copyDatabase(run, database);
    }

    if (config.mode !== 'full+incremental') {
      await finishLoads(run, selection);
      const verify = options.verify === false ? [] : await verifyAll(run, selection);
      return await conclude(run, selection, verify, options.keepState);
    }

    stages.followingBegins();
    const outcome = await followAll(run, selection.databases, { pollMs: options.pollMs ?? 500 });
    if (outcome === 'interrupted') {
      stages.followingStopped();
      return { status: 'interrupted', state };
    }
    // Awaited here, so the finally below closes the routes only after the slots are dropped.
    if (outcome === 'cancel') return await cancelRun(run, selection);

    // Finish: everything up to the finish point is applied; bring sequences up to date, verify,
    // and only then let go of the slots.
    stages.followingEnded();
    for (const database of selection.databases) {
      await run.loader.syncSequences(loadContext(run, database));
      stateDir.updateDatabase(state, database.name, { phase: 'drained' });
    }
    await finishLoads(run, selection);
    const verify = options.verify === false ? [] : await verifyAll(run, selection);
    if (verify.some((v) => !v.ok)) {
      // Failed, not final: the slots are kept and the next run resumes following.
      failVerify(run, verify, FINISH_VERIFY_REMEDY);
      stateDir.clearControl();
      return { status: 'verify-failed', state, verify };
    }
    for (const database of selection.databases) {
      await replicatorFor(run, database.name).cleanup(replicationContext(run, database));
    }
    return await conclude(run, selection, verify, options.keepState);
  } catch (error) {
    // The task stays resumable; status and task show say what stopped it, and where.
    if (recorded) recordError(stateDir, recorded, error, task);
    throw error;
  } finally {
    throttles?.close();
    releaseLock();
    await task.close();
  }
}

function recordError(stateDir: StateDir, state: TaskState, error: unknown, task: LoadedTask): void {
  const { code, remedy, details } = error as { code?: unknown; remedy?: unknown; details?: unknown };
  state.error = {
    code: typeof code === 'string' && code.startsWith('PGSHIFT_') ? code : 'PGSHIFT_RUN_ERROR',
    message: task.redactor.redact(String((error as Error)?.message ?? error)),
    ...(typeof remedy === 'string' ? { remedy } : {}),
    ...(details && typeof details === 'object'
      ? { details: JSON.parse(task.redactor.redact(JSON.stringify(details))) as Record<string, unknown> }
      : {}),
  };
  delete state.reconnecting;
  stateDir.writeState(state);
}

/**
 * Nothing more is written to the target: the loader enables what it held back meanwhile (event
 * triggers, which would have fired on pgshift's own DDL), before the final verify compares them.
 */
async function finishLoads(run: RunContext, selection: ResolvedSelection): Promise<void> {
  for (const database of selection.databases) await run.loader.finish?.(loadContext(run, database));
}

async function verifyAll(run: RunContext, selection: ResolvedSelection): Promise<VerifyOutcome[]> {
  run.stages.verifyBegins();
  const outcomes: VerifyOutcome[] = [];
  for (const database of selection.databases) {
    outcomes.push(await run.deps.verify(run.task, run.source, run.target, database));
  }
  run.stages.verifyEnded(outcomes.every((o) => o.ok));
  return outcomes;
}

const FINISH_VERIFY_REMEDY =
  'the replication slots are kept. If the source was still being written, stop the writes, run the task ' +
  'again (it resumes following) and finish again; if something else wrote to the target, repair it or ' +
  'cancel the task and start again';

const COPY_VERIFY_REMEDY =
  'if the source was written during the copy (a copy without following does not carry writes made during it), stop the ' +
  'writes, drop what was copied on the target and start the task afresh (move its state directory aside); ' +
  'if something else wrote to the target, repair it';

/** Records a verify that found differences as the task's error, with what to do about it. */
function failVerify(run: RunContext, verify: VerifyOutcome[], remedy: string): void {
  const databases = verify.filter((v) => !v.ok).map((v) => v.database);
  run.state.error = {
    code: 'PGSHIFT_VERIFY_FAILED',
    message: `verify found differences between source and target in database ${databases.join(', ')}`,
    remedy,
  };
  run.stages.verifyFailed(remedy);
}

async function conclude(
  run: RunContext,
  selection: ResolvedSelection,
  verify: VerifyOutcome[],
  keepState = false,
): Promise<RunOutcome> {
  const { state } = run;
  if (verify.some((v) => !v.ok)) {
    failVerify(run, verify, COPY_VERIFY_REMEDY);
    return { status: 'verify-failed', state, verify };
  }
  await removeBookkeeping(run, selection, keepState || run.stateDir.readControl()?.keepState === true);
  for (const database of selection.databases)
    run.stateDir.updateDatabase(state, database.name, { phase: 'done' });
  state.summary = summarize(run, selection);
  run.stages.completed();
  run.stateDir.clearControl();
  return { status: 'completed', state, verify };
}

/**
 * The task is complete: what pgshift kept on the target for itself goes, and the user is told
 * (or told where it stays). A failure here loses nothing of the migration, so it only warns.
 */
async function removeBookkeeping(
  run: RunContext,
  selection: ResolvedSelection,
  keep: boolean,
): Promise<void> {
  const say = (level: 'info' | 'warn', text: string) => {
    run.task.logger[level](text);
    run.progress.emit({ type: 'message', level, text });
  };
  for (const database of selection.databases) {
    if (keep) {
      say(
        'info',
        `kept schema pgshift (pgshift's bookkeeping) in database ${database.name} on the target (--keep-state)`,
      );
      continue;
    }
    try {
      const said = await run.loader.cleanup?.(loadContext(run, database));
      if (said) say('info', said);
    } catch (error) {
      say(
        'warn',
        `could not remove pgshift's bookkeeping from database ${database.name} on the target (${String((error as Error)?.message ?? error)}); ` +
          'DROP SCHEMA pgshift CASCADE in that database removes it',
      );
    }
  }
}

async function cancelRun(run: RunContext, selection: ResolvedSelection): Promise<RunOutcome> {
  const leftovers: string[] = [];
  for (const database of selection.databases) {
    // The source's slot and publication go first; a target that cannot be reached (a dropped
    // database, say) keeps only its bookkeeping, and the advice says so.
    try {
      await replicatorFor(run, database.name).cleanup(replicationContext(run, database));
    } catch (error) {
      leftovers.push(
        `database ${database.name}: cleanup did not complete (${String((error as Error)?.message ?? error)}); ` +
          `on the source, SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${replicationContext(run, database).slotName}' drops what is left`,
      );
    }
  }
  run.stages.cancelled();
  run.stateDir.clearControl();
  const cleanupAdvice = selection.databases.map(
    (db) =>
      `database ${db.name} on the target keeps what was copied and applied so far; ` +
      `drop it (DROP DATABASE "${db.name.replaceAll('"', '""')}") or its migrated objects before a new attempt`,
  );
  cleanupAdvice.push(
    'the progress tables in schema "pgshift" on the target can be dropped with DROP SCHEMA pgshift CASCADE',
    ...leftovers,
  );
  return { status: 'cancelled', state: run.state, cleanupAdvice };
}

function summarize(run: RunContext, selection: ResolvedSelection): Record<string, unknown> {
  const databases: Record<string, unknown> = {};
  for (const db of selection.databases) {
    const dbState = run.state.databases[db.name];
    const status = run.replicators.get(db.name)?.status();
    databases[db.name] = {
      tables: db.tables.length,
      copy: dbState?.copy,
      ...(status ? { transactionsApplied: status.transactionsApplied, finalLsn: status.appliedLsn } : {}),
    };
  }
  return {
    mode: run.task.config.mode,
    startedAt: run.state.startedAt,
    finishedAt: new Date().toISOString(),
    databases,
  } satisfies Record<string, unknown> as Record<string, unknown>;
}

export type { ResolvedDatabase };
