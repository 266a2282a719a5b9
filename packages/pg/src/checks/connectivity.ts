import {
  type Checker,
  type CheckResult,
  type OpenSession,
  PgshiftError,
  type ServerHandle,
} from '@pgshift/plugin-api';
import { quoteIdent } from '../quote.js';
import { hasFeature } from '../server-features.js';
import { effectiveTls } from '../tls.js';
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
  const params = server.route.connection();
  const { user, database } = params;
  let session: OpenSession | undefined;
  try {
    session = await server.connect();
    const { rows } = await session.query<{ version: string; num: string }>(
      "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num",
    );
    const encrypted = hasFeature(Number(rows[0]?.num), 'statSsl')
      ? (
          await session.query<{ ssl: boolean; version: string | null }>(
            'SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
          )
        ).rows[0]
      : undefined;
    const connected = `connected to ${server.route.description} (database ${database}) as ${user}: PostgreSQL ${rows[0]?.version ?? '?'}`;
    return connectionSecurity(checker, server, connected, encrypted);
  } catch (error) {
    return checkResult(
      checker,
      'failed',
      `could not connect to the ${server.role} ${server.route.description} (database ${database}) as ${user}: ${describeError(error)}`,
      error instanceof PgshiftError && error.remedy ? error.remedy : connectionRemedy(server, error),
    );
  } finally {
    await session?.close();
  }
}

/** Addresses whose traffic never leaves the machine they name. */
function loopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * Passes with how the session is protected; warns when it is plaintext across a network, unless
 * the user chose that (sslmode disable, in the config or PGSSLMODE).
 */
function connectionSecurity(
  checker: Pick<Checker, 'id' | 'title'>,
  server: ServerHandle,
  connected: string,
  session: { ssl: boolean; version: string | null } | undefined,
): CheckResult {
  const { host, tls } = server.route.connection();
  const settings = effectiveTls(tls);
  if (session === undefined)
    return checkResult(
      checker,
      'pass',
      `${connected}; TLS ${settings.described} (the server cannot tell whether the session is encrypted before 9.5)`,
    );
  if (session.ssl)
    return checkResult(
      checker,
      'pass',
      `${connected}; encrypted with ${session.version ?? 'TLS'} (${settings.described})`,
    );
  const plaintext = `${connected}; the connection is not encrypted (${settings.described})`;
  if (settings.sslmode === 'disable' || loopback(host)) return checkResult(checker, 'pass', plaintext);
  return checkResult(
    checker,
    'warning',
    `${plaintext}: the password and every row cross the network in the clear`,
    settings.sslmode === 'allow' || settings.sslmode === 'prefer'
      ? `turn ssl on in the ${server.role} server (ssl = on with a certificate), then set ${server.role}.tls.sslmode: verify-full with ${server.role}.tls.sslrootcert; or set ${server.role}.tls.sslmode: disable to accept plaintext knowingly`
      : `set ${server.role}.tls.sslmode to require or stricter`,
  );
}
