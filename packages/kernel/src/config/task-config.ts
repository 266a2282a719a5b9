import type {
  LostSnapshotChoice,
  MigrationMode,
  ObjectSelection,
  PluginDefinition,
  TaskLimits,
} from '@pgshift/plugin-api';

/*
 * The shape of a task's config once loadConfig (load-config.ts) has validated it, applied the
 * defaults and resolved the secrets: what the rest of the kernel reads.
 */

/** A validated config with defaults applied and secrets resolved. */
export interface TaskConfig {
  task: { name: string; startAt?: string };
  source: EndpointConfig;
  target: EndpointConfig;
  objects: ObjectSelection;
  mode: MigrationMode;
  plugins: PluginRef[];
  options: TaskOptions;
}

/** A `source`/`target` block: `access` names the connector; secrets are resolved to `Secret`. */
export interface EndpointConfig {
  access: string;
  database?: string;
  [field: string]: unknown;
}

export interface TaskOptions {
  jobs: number;
  copyOwners: boolean;
  copyPrivileges: boolean;
  /** Copy the source's publications (never pgshift's own). */
  copyPublications: boolean;
  /** Roles, memberships, role and database settings, database owners and grants; default: whole instance only. */
  copyRoles?: boolean;
  /** Absolute; default `<configDir>/.pgshift/<task name>`. */
  stateDir: string;
  onLostSnapshot: LostSnapshotChoice;
  splitTableBytes: number;
  /** Consecutive failed attempts to reconnect after a lost connection before the run fails. */
  reconnectAttempts: number;
  /** The longest wait between two attempts to reconnect. */
  reconnectMaxDelaySeconds: number;
  /** When the target refuses a change: stop (the default), or retry from the durable position. */
  onApplyError: 'stop' | 'retry';
  /** With onApplyError: retry, how many times in a row before the run stops. */
  applyRetries: number;
  /** While following, target sequences are moved up to the source's this often (0: only at finish). */
  sequenceSyncSeconds: number;
  /** Writes to the target by others while following: reported (detect) or refused (refuse). */
  targetWrites: 'detect' | 'refuse';
  /** Rows/s and MB/s for the copy and for apply, one bucket per task each; absent = unlimited. */
  limits?: TaskLimits;
  /**
   * Schema changes on the source during sync: replicate, stop or ignore. Absent: replicate where
   * the source role may capture them (a superuser), else stop where the stream shows a changed table.
   */
  ddl?: 'replicate' | 'stop' | 'ignore';
  [key: string]: unknown;
}

/** A `plugins` entry as written: a name, package name or path, or one with options. */
export type PluginRef = string | { use: string | PluginDefinition; options?: Record<string, unknown> };
