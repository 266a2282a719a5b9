import type { Checker, CheckResult, ServerHandle } from '@pgshift/plugin-api';
import { quoteIdent } from '../quote.js';
import { clientHostFromError, describeError, errorCode, isHbaRejection, isNetworkError } from './errors.js';
import { databaseHbaLine } from './hba.js';
import { checkResult } from './result.js';

/** What to do about a failed connection, by the kind of failure. */
export function connectionRemedy(server: ServerHandle, error: unknown, versionNum = 140000): string {
  const { host, port, user, database } = server.route.connection();
  const side = server.role;
  const code = errorCode(error);
  if (isNetworkError(error))
    return [
      `make sure PostgreSQL on ${server.route.description} is running and reachable from this machine:`,
      `in postgresql.conf set listen_addresses = '*' (then restart), and allow TCP port ${port} from this machine in firewalls / security groups;`,
      `check ${side}.host (${host}) and ${side}.port (${port}) in the config`,
    ].join('\n');
  if (isHbaRejection(error))
    return [
      `add this line to pg_hba.conf on the ${side} (before any line that rejects it), then reload:`,
      databaseHbaLine(versionNum, database, user, clientHostFromError(error)),
      'SELECT pg_reload_conf();',
    ].join('\n');
  if (code === '28P01')
    return `check ${side}.password for user ${user}; to set it on the server: ALTER ROLE ${quoteIdent(user)} PASSWORD '...';`;
  if (code === '3D000')
    return `set ${side}.database to a database that exists, or create it: CREATE DATABASE ${quoteIdent(database)};`;
  if (code === '28000')
    return `create the role on the ${side}: CREATE ROLE ${quoteIdent(user)} LOGIN PASSWORD '...'; or set ${side}.user to an existing role`;
  if (code === '53300')
    return `the ${side} has no free connection slots: raise max_connections (ALTER SYSTEM SET max_connections = ...; then restart) or close idle sessions`;
  return `make sure ${server.route.description} accepts connections from this machine as ${user}`;
}

/** Opens one real connection to the server (no cached answer) and reports what happened. */
export async function probeConnectivity(
  checker: Pick<Checker, 'id' | 'title'>,
  server: ServerHandle,
): Promise<CheckResult> {
  const { user, database } = server.route.connection();
  try {
    const { rows } = await server.query<{ version: string }>(
      "SELECT current_setting('server_version') AS version",
    );
    return checkResult(
      checker,
      'pass',
      `connected to ${server.route.description} (database ${database}) as ${user}: PostgreSQL ${rows[0]?.version ?? '?'}`,
    );
  } catch (error) {
    return checkResult(
      checker,
      'failed',
      `could not connect to the ${server.role} ${server.route.description} (database ${database}) as ${user}: ${describeError(error)}`,
      connectionRemedy(server, error),
    );
  }
}
