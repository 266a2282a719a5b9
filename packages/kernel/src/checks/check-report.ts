import type {
  CheckResult,
  ResolvedSelection,
  ServerRole,
  ServerVersion,
  VersionCapabilities,
} from '@pgshift/plugin-api';

/*
 * What runChecks (run-checks.ts) found: every item, the counts, and what the run may go on with.
 * Its own file so the orchestrator's types can name it without importing the checks.
 */

export interface CheckSummary {
  pass: number;
  warning: number;
  failed: number;
  total: number;
}

export interface CheckReport {
  items: CheckResult[];
  summary: CheckSummary;
  /** No item Failed: the migration may start. */
  ok: boolean;
  versions: Partial<Record<ServerRole, ServerVersion>>;
  policy?: string;
  capabilities?: VersionCapabilities;
  selection?: ResolvedSelection;
}
