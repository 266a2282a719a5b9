import type {
  LoadContext,
  Loader,
  ProgressSink,
  ReplicationContext,
  Replicator,
  ResolvedDatabase,
  ServerHandle,
  VersionCapabilities,
} from '@pgshift/plugin-api';
import type { CopyShare, StateDir, TaskState } from '@pgshift/tasks';
import type { LoadedTask } from '../loaded-task.js';
import { loaderJobs } from '../plugins/capability-rules.js';
import type { TaskThrottles } from '../throttle/task-throttles.js';
import type { MigrationDeps } from './migration-deps.js';
import { replicationName } from './names.js';
import type { ReconnectPolicy } from './reconnect-policy.js';
import type { StageMoves } from './stage-moves.js';

/** Everything one run of a task carries between its phases. */
export interface RunContext {
  task: LoadedTask;
  deps: MigrationDeps;
  stateDir: StateDir;
  state: TaskState;
  source: ServerHandle;
  target: ServerHandle;
  capabilities: VersionCapabilities;
  progress: ProgressSink;
  /** Every change of status and stage goes through here. */
  stages: StageMoves;
  loader: Loader;
  /** One replicator per database: each follows its own slot and reports its own status. */
  replicators: Map<string, Replicator>;
  signal: AbortSignal;
  /** How lost connections are ridden out (options.reconnectAttempts and ...MaxDelaySeconds). */
  reconnect: ReconnectPolicy;
  copyShare?: CopyShare;
  /** Databases created on the target get the source's owner, grants and settings (see copyRoles). */
  copyGlobals?: boolean;
  /** The task's rate limits: one bucket for the copy, one for apply (options.limits, `pgshift set`). */
  throttles?: TaskThrottles;
}

export function loadContext(run: RunContext, database: ResolvedDatabase, snapshot?: string): LoadContext {
  const { options } = run.task.config;
  return {
    source: run.source,
    target: run.target,
    database,
    ...(snapshot === undefined ? {} : { snapshot }),
    jobs: loaderJobs(run.task, options.jobs),
    options: {
      taskName: run.task.config.task.name,
      copyOwners: options.copyOwners,
      copyPrivileges: options.copyPrivileges,
      copyPublications: options.copyPublications,
      onLostSnapshot: options.onLostSnapshot,
      splitTableBytes: options.splitTableBytes,
      schemaOnly: run.task.config.mode === 'schema',
      following: run.task.config.mode === 'full+incremental',
    },
    progress: run.progress,
    logger: run.task.logger.child({ database: database.name }),
    signal: run.signal,
    ...(run.throttles ? { throttle: run.throttles.copy } : {}),
  };
}

export function replicationContext(run: RunContext, database: ResolvedDatabase): ReplicationContext {
  const decoder = run.capabilities.decoder;
  if (!decoder)
    throw new Error('replicationContext called without a decoder; the policy allows no following');
  const name = replicationName(run.task.config.task.name, database.name);
  return {
    source: run.source,
    target: run.target,
    database,
    decoder,
    slotSnapshotSyntax: run.capabilities.slotSnapshotSyntax,
    slotName: name,
    publicationName: name,
    taskName: run.task.config.task.name,
    targetWrites: run.task.config.options.targetWrites,
    ddl: {
      policy: run.task.config.options.ddl ?? 'replicate',
      ...(run.task.config.options.ddl === undefined ? { defaulted: true } : {}),
      ...(run.state.ddlAppliedByHand ? { appliedByHand: run.state.ddlAppliedByHand } : {}),
    },
    progress: schemaChangesRecorded(run, database.name),
    logger: run.task.logger.child({ database: database.name }),
    ...(run.throttles ? { throttle: run.throttles.apply } : {}),
  };
}

/** How many schema changes each database's state keeps in full; the total counts them all. */
const SCHEMA_CHANGES_KEPT = 50;

/** The run's progress, with each schema change the replicator reports kept in the task's state. */
function schemaChangesRecorded(run: RunContext, database: string): ProgressSink {
  return {
    emit(event) {
      if (event.type === 'schema-change') {
        const previous = run.state.databases[database]?.schemaChanges;
        const change = {
          id: event.id,
          statement: event.statement,
          outcome: event.outcome,
          at: new Date().toISOString(),
        };
        run.stateDir.updateDatabase(run.state, database, {
          schemaChanges: {
            total: (previous?.total ?? 0) + 1,
            latest: [...(previous?.latest ?? []), change].slice(-SCHEMA_CHANGES_KEPT),
          },
        });
      }
      run.progress.emit(event);
    },
  };
}

export function replicatorFor(run: RunContext, database: string): Replicator {
  let replicator = run.replicators.get(database);
  if (!replicator) {
    replicator = run.task.replicator();
    run.replicators.set(database, replicator);
  }
  return replicator;
}
