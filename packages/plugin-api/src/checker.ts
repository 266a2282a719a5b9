import type { Logger } from './logger.js';
import type { DdlPolicy } from './replicator.js';
import type { MigrationMode, ResolvedSelection } from './selection.js';
import type { ServerHandle } from './server.js';
import type { VersionCapabilities, VersionPolicy } from './version-policy.js';

/** Pass; Warning (the migration may be affected but can run); Failed (the migration cannot start). */
export type CheckStatus = 'pass' | 'warning' | 'failed';

export interface CheckResult {
  /** Stable id, e.g. `source.wal-level`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found, in a sentence. */
  message: string;
  /** How to fix it: the exact SQL or configuration lines. Expected unless the status is pass. */
  remedy?: string;
  details?: Record<string, unknown>;
}

export interface CheckContext {
  source: ServerHandle;
  target: ServerHandle;
  mode: MigrationMode;
  selection: ResolvedSelection;
  /** The policy covering the source version; absent when none does. */
  policy?: VersionPolicy;
  capabilities?: VersionCapabilities;
  /**
   * What the task carries besides the schema and rows, as the config decides it: object owners
   * (copyOwners), grants (copyPrivileges), and the source's roles themselves (copyRoles, by
   * default for a whole instance).
   */
  carries?: { owners: boolean; privileges: boolean; roles: boolean };
  /** How schema changes during sync are handled (options.ddl); `defaulted` when not set. */
  ddl?: { policy: DdlPolicy; defaulted: boolean };
  /** This checker's own options from the config. */
  options: Record<string, unknown>;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * One precheck. `run` reports problems as results, never by throwing: an exception is itself
 * reported as a Failed item by the kernel, and the conformance suite counts it as a fault.
 */
export interface Checker {
  readonly id: string;
  readonly title: string;
  /** Whether the check is relevant (e.g. only when following); irrelevant checks are not listed. */
  appliesTo?(ctx: CheckContext): boolean;
  run(ctx: CheckContext): Promise<CheckResult | CheckResult[]>;
}
