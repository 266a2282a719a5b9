import type {
  Checker,
  Connector,
  Loader,
  Logger,
  PluginDefinition,
  Replicator,
  Resolver,
  ServerHandle,
  ServerRole,
  Token,
  VersionPolicy,
} from '@pgshift/plugin-api';
import type { TaskConfig } from './config/task-config.js';
import type { Redactor } from './logging/redactor.js';

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
