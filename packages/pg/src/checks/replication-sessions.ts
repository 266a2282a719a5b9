import type { CheckContext, OpenSession, ServerHandle } from '@pgshift/plugin-api';
import { withSession } from './session.js';

/** The databases following would connect to: every selected one, else the maintenance database. */
export function followedDatabases(ctx: CheckContext): string[] {
  const databases = ctx.selection.databases.map((d) => d.name);
  return databases.length > 0 ? databases : [ctx.source.maintenanceDatabase];
}

/**
 * Opens a replication (walsender) session to each database in turn, runs `body` in it, and
 * returns the databases where that failed, with the error, in order.
 */
export async function replicationFailures(
  server: ServerHandle,
  databases: readonly string[],
  body: (session: OpenSession) => Promise<unknown> = async () => {},
): Promise<Array<{ database: string; error: unknown }>> {
  const failures: Array<{ database: string; error: unknown }> = [];
  for (const database of databases) {
    try {
      await withSession(server, { database, replication: true }, body);
    } catch (error) {
      failures.push({ database, error });
    }
  }
  return failures;
}

/** The server's version number, or 14's when it cannot be read, so a remedy shows current syntax. */
export function versionNumOrCurrent(server: ServerHandle): Promise<number> {
  return server
    .version()
    .then((v) => v.num)
    .catch(() => 140000);
}
