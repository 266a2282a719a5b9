import type { PluginDefinition } from '@pgshift/plugin-api';
import type { SuiteOptions } from '../options.js';

export interface ConnectorSubject {
  plugin: PluginDefinition;
  /**
   * Inventory plugins loaded beside the connector; their providers are offered to it through
   * INVENTORIES, as the kernel does.
   */
  inventories?: PluginDefinition[];
}

export type ConnectorFactory = ConnectorSubject | (() => ConnectorSubject | Promise<ConnectorSubject>);

/** What a config may point at. Configs are called afresh for every test that needs one. */
export interface ConnectorEnv {
  /** The sandbox server (its superuser and password) the route must lead to. */
  server: { host: string; port: number; user: string; password: string; database: string };
  /** A port on 127.0.0.1 where nothing listens. */
  closedPort: number;
  /** A directory of this suite's own; the connector's baseDir (write inventory files here). */
  dir: string;
}

export interface ConnectorSuiteOptions extends SuiteOptions {
  /** A config block (secrets inline as strings) whose route leads straight to `env.server`. */
  validConfig(env: ConnectorEnv): Record<string, unknown>;
  /** A config block whose route leads to an address where nothing listens (e.g. env.closedPort). */
  unreachableConfig(env: ConnectorEnv): Record<string, unknown>;
  /** Time the connector is given to open a route (default 3000 ms). */
  timeoutMs?: number;
}
