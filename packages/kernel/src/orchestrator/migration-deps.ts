import type { ObjectSelection, ResolvedDatabase, ResolvedSelection, ServerHandle } from '@pgshift/plugin-api';
import type { CheckReport } from '../checks/check-report.js';
import type { LoadedTask } from '../loaded-task.js';

export interface VerifyOutcome {
  database: string;
  ok: boolean;
  /** Human-readable report lines. */
  lines: string[];
  details?: Record<string, unknown>;
}

/**
 * What the orchestrator needs from elsewhere in the kernel and toolkit. Passed in, so the flow
 * reads as a flow and tests can observe each step.
 */
export interface MigrationDeps {
  resolveSelection(source: ServerHandle, objects: ObjectSelection): Promise<ResolvedSelection>;
  runChecks(task: LoadedTask): Promise<CheckReport>;
  verify(
    task: LoadedTask,
    source: ServerHandle,
    target: ServerHandle,
    database: ResolvedDatabase,
  ): Promise<VerifyOutcome>;
}
