import type { Route } from './connection.js';
import type { Logger } from './logger.js';
import type { ServerRole } from './server.js';

export interface ConnectorContext {
  role: ServerRole;
  logger: Logger;
  /** Directory of the config file, for resolving relative paths (CA files, keys, inventories). */
  baseDir: string;
  /** Time allowed to establish a route, in milliseconds. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Opens routes to a server described by one `source` or `target` block. The block's fields are
 * validated against the plugin's configSchema before `open` is called; secrets arrive as `Secret`.
 *
 * `C` is the block as that schema describes it. A `Connector<MyConfig>` registers as a plain
 * `Connector` (the CONNECTOR token's type) with no cast: the host knows only that it hands over an
 * object its configSchema accepted, and `open` is a method, so its parameter may be narrower.
 */
export interface Connector<C extends object = object> {
  /** The `access` value that selects this connector. */
  readonly access: string;
  open(config: C, ctx: ConnectorContext): Promise<Route>;
}
