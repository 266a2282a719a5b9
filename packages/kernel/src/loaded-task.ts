import type {
  Checker,
  Connector,
  Loader,
  Logger,
  LostSnapshotChoice,
  MigrationMode,
  ObjectSelection,
  PluginDefinition,
  Replicator,
  Resolver,
  ServerHandle,
  ServerRole,
  Token,
  VersionPolicy,
} from '@pgshift/plugin-api';
import type { Redactor } from './logging/redactor.js';

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
  /** Writes to the target by others while following: reported (detect) or refused (refuse). */
  targetWrites: 'detect' | 'refuse';
  [key: string]: unknown;
}

/** A `plugins` entry as written: a name, package name or path, or one with options. */
export type PluginRef = string | { use: string | PluginDefinition; options?: Record<string, unknown> };

export interface LoadedPlugin {
  definition: PluginDefinition;
  /** Where it was loaded from (a file path, a package name, or `config` for an imported definition). */
  source: string;
  /** What the plugin resolves: its own registrations, else the kernel's services. */
  resolver: Resolver;
  /** Everything the plugin registered under a token, in order. */
  own<T>(token: Token<T>): T[];
  /** defaultOptions merged with the options the config gives, validated and frozen. */
  options: Readonly<Record<string, unknown>>;
}

export interface CheckerEntry {
  checker: Checker;
  options: Readonly<Record<string, unknown>>;
  /** Name of the plugin that registered it. */
  plugin: string;
}

export interface LoadedTask {
  config: TaskConfig;
  /** Absolute path of the config file. */
  configPath: string;
  /** Directory of the config file. */
  baseDir: string;
  logger: Logger;
  redactor: Redactor;
  plugins: LoadedPlugin[];
  /** The connector named by `access` of that side. */
  connector(role: ServerRole): Connector;
  /** Opens the side's route and wraps it; routes are tracked and closed by `close()`. */
  openServer(role: ServerRole): Promise<ServerHandle>;
  checkers(): CheckerEntry[];
  policies(): VersionPolicy[];
  /** The single loader plugin (first-party `loader-native` is added when the config names none). */
  loader(): Loader;
  /** The single replicator plugin (first-party `replicator-logical` likewise). */
  replicator(): Replicator;
  close(): Promise<void>;
}

export interface LoadTaskOptions {
  verbose?: boolean;
  /** pino level name; default `info`, `debug` with verbose. */
  logLevel?: string;
  /** Where log lines go; default stderr. */
  logDestination?: NodeJS.WritableStream;
  /** Collects the task's secrets; pass one to keep masking errors thrown while loading. */
  redactor?: Redactor;
  /** Add first-party checkers, policies and a loader/replicator; default true (tests turn it off). */
  firstPartyDefaults?: boolean;
}

export { loadTask } from './load-task.js';
