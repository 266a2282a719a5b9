import { formatVerifyReport, openClient, type VerifyOptions, verifyDatabase } from '@pgshift/pg';
import type { MigrationMode, ResolvedDatabase, ServerHandle } from '@pgshift/plugin-api';
import { resolveSelection } from '../checks/resolve-selection.js';
import { runChecks } from '../checks/run-checks.js';
import type { LoadedTask } from '../loaded-task.js';
import type { MigrationDeps, VerifyOutcome } from './migration-deps.js';

/** Opens a client to one database of a server through its route. */
function opener(server: ServerHandle, database: string) {
  return () => openClient(server.route.connection({ database }), `pgshift-verify-${server.role}`);
}

/**
 * What verify compares for a task: what its mode and options copied. A copy of the schema alone
 * has no rows or sequence values; publications and default privileges only where copied.
 */
export function verifyOptionsFor(config: {
  mode: MigrationMode;
  options: { copyPublications?: boolean; copyPrivileges?: boolean; jobs?: number };
}): VerifyOptions {
  return {
    ...(config.mode === 'schema' ? { rows: false, sequences: false } : {}),
    // As many sessions per side as the copy used, so verify reads at the copy's parallelism.
    ...(config.options.jobs === undefined ? {} : { jobs: config.options.jobs }),
    copyPublications: config.options.copyPublications === true,
    copyPrivileges: config.options.copyPrivileges === true,
  };
}

/** Verifies one database: exactly the selection's schema objects, rows and sequences. */
export async function verifyOne(
  source: ServerHandle,
  target: ServerHandle,
  database: ResolvedDatabase,
  options: VerifyOptions = {},
): Promise<VerifyOutcome> {
  const report = await verifyDatabase(
    opener(source, database.name),
    opener(target, database.name),
    database.name,
    database.whole ? undefined : database.tables,
    options,
  );
  return {
    database: database.name,
    ok: report.ok,
    lines: formatVerifyReport(report).split('\n'),
    details: { ...report },
  };
}

/** The kernel's own implementations of what the orchestrator needs. */
export const defaultMigrationDeps: MigrationDeps = {
  resolveSelection,
  runChecks: (task: LoadedTask) => runChecks(task),
  async verify(task, source, target, database) {
    return verifyOne(source, target, database, verifyOptionsFor(task.config));
  },
};
