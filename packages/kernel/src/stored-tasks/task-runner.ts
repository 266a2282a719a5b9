import { type LoadContext, nullProgress } from '@pgshift/plugin-api';
import type { ShareCopy, TaskRun, TaskRunner } from '@pgshift/tasks';
import type { LoadTaskOptions } from '../loaded-task.js';
import { defaultMigrationDeps } from '../orchestrator/default-deps.js';
import type { MigrationDeps } from '../orchestrator/migration-deps.js';
import { type RunOutcome, runTask } from '../orchestrator/run-task.js';
import { loadStoredTask } from './load-stored-task.js';

/** The kernel's side of a worker: loads each stored task's plugins and runs it. */
export function kernelTaskRunner(loadOptions: LoadTaskOptions = {}, verify?: boolean): TaskRunner {
  return {
    run: (run) => runStoredTask(run, loadOptions, verify),
    copyShare: (share) => copyShareHere(share, loadOptions),
  };
}

async function runStoredTask(
  run: TaskRun,
  loadOptions: LoadTaskOptions,
  verify?: boolean,
): Promise<RunOutcome> {
  const task = await loadStoredTask(run.record, run.scratchDir, run.runDir, loadOptions);
  const deps: MigrationDeps = {
    ...defaultMigrationDeps,
    async runChecks(t) {
      const report = await defaultMigrationDeps.runChecks(t);
      await run.recordChecks(report);
      return report;
    },
  };
  return runTask(task, {
    deps,
    progress: run.progress,
    signal: run.signal,
    stateDir: run.stateDir,
    ...(verify === undefined ? {} : { verify }),
    ...(run.copyShare ? { copyShare: run.copyShare } : {}),
    ...(run.record.ddlAppliedByHand ? { ddlAppliedByHand: run.record.ddlAppliedByHand } : {}),
  });
}

/** A helper's side: copies one share of another worker's task, under that task's snapshot. */
async function copyShareHere(share: ShareCopy, loadOptions: LoadTaskOptions): Promise<void> {
  const { job } = share;
  const task = await loadStoredTask(share.record, share.scratchDir, share.runDir, loadOptions);
  try {
    const [source, target] = [await task.openServer('source'), await task.openServer('target')];
    const { options: taskOptions } = task.config;
    const ctx: LoadContext = {
      source,
      target,
      database: { name: job.database, whole: false, tables: job.tables },
      snapshot: job.snapshot,
      jobs: taskOptions.jobs,
      options: {
        ...taskOptions,
        copyOwners: taskOptions.copyOwners,
        copyPrivileges: taskOptions.copyPrivileges,
        // A helper never starts a new snapshot: without the coordinator's, it fails and the
        // coordinator copies the share itself.
        onLostSnapshot: 'fail',
        splitTableBytes: taskOptions.splitTableBytes,
        taskName: task.config.task.name,
      },
      progress: share.progress ?? nullProgress,
      logger: task.logger.child({ database: job.database, share: true }),
      ...(share.signal ? { signal: share.signal } : {}),
    };
    await task.loader().copyData(ctx);
    await share.copied();
  } finally {
    await task.close();
  }
}
