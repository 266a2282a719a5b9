import type { Checker } from './checker.js';
import type { Connector } from './connector.js';
import type { Loader } from './loader.js';
import type { Logger } from './logger.js';
import type { Replicator } from './replicator.js';
import { contractToken } from './tokens.js';
import type { VersionPolicy } from './version-policy.js';

/** What each kind of plugin registers; the kernel resolves these from the plugin's container. */
export const CONNECTOR = contractToken<Connector>('pgshift.connector');
export const CHECKER = contractToken<Checker>('pgshift.checker');
export const VERSION_POLICY = contractToken<VersionPolicy>('pgshift.version-policy');
export const LOADER = contractToken<Loader>('pgshift.loader');
export const REPLICATOR = contractToken<Replicator>('pgshift.replicator');

/** What the kernel provides to every plugin container. */
export const LOGGER = contractToken<Logger>('pgshift.logger');
