import type { CheckContext, CheckResult, PluginDefinition } from '@pgshift/plugin-api';
import type { ConformanceServers } from './servers.js';

/**
 * Sets up servers (databases, roles, settings, open sessions) so the checker under test should
 * give one outcome, and returns the context parts that point at them. Whatever it leaves out
 * (source, target, selection, mode, policy) the suite fills with defaults.
 */
export type Arrange = (servers: ConformanceServers) => Promise<Partial<CheckContext>>;

export interface CheckerArrangements {
  /** A setup on which the checker reports Pass. */
  pass: Arrange;
  /** A setup on which the worst item is a Warning. */
  warn?: Arrange;
  /** A setup on which the worst item is Failed. */
  fail?: Arrange;
}

export interface CheckerSubject {
  plugin: PluginDefinition;
  /** Plugin options, as a `plugins` entry of a config would give them. */
  options?: Record<string, unknown>;
  arrange: CheckerArrangements;
  /**
   * Further assertions on an outcome's results (the remedy names the right SQL, say), run after
   * the suite checked the status.
   */
  verify?: Partial<Record<Outcome, (results: CheckResult[]) => void | Promise<void>>>;
}

export type CheckerFactory = CheckerSubject | (() => CheckerSubject | Promise<CheckerSubject>);

export type Outcome = 'pass' | 'warn' | 'fail';
