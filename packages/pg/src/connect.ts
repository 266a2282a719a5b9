import { type ConnectionParams, RouteError } from '@pgshift/plugin-api';
import pg from 'pg';

/** Turns route parameters into node-postgres client settings. */
export function clientConfig(params: ConnectionParams, applicationName = 'pgshift'): pg.ClientConfig {
  const config: pg.ClientConfig = {
    host: params.host,
    port: params.port,
    user: params.user,
    database: params.database,
    application_name: applicationName,
    connectionTimeoutMillis: params.connectTimeoutMs ?? 15_000,
    keepAlive: true,
  };
  if (params.password !== undefined) config.password = params.password;
  if (params.stream) config.stream = params.stream as unknown as pg.ClientConfig['stream'];
  if (params.replication) (config as { replication?: string }).replication = 'database';
  const tls = params.tls;
  if (tls && tls.sslmode !== 'disable' && tls.sslmode !== 'allow') {
    const verify = tls.sslmode === 'verify-ca' || tls.sslmode === 'verify-full';
    config.ssl = {
      rejectUnauthorized: verify,
      ...(tls.ca === undefined ? {} : { ca: tls.ca }),
      ...(tls.servername === undefined ? {} : { servername: tls.servername }),
      // verify-ca checks the chain but not the host name, as libpq does.
      ...(tls.sslmode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  return config;
}

/**
 * Opens a connected client. Values that must stay exact (int8, numeric, dates) are left as the
 * server's text by the type parsers set here, never turned into JS numbers or Dates.
 */
export async function openClient(params: ConnectionParams, applicationName?: string): Promise<pg.Client> {
  const client = new pg.Client({ ...clientConfig(params, applicationName), types: exactTypes });
  // An error on an idle client (server shutdown, network) must not crash the process; the next
  // query on it fails instead and the owner deals with it there.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw timedOut(error, params) ?? error;
  }
  return client;
}

/** node-postgres says only "connection timeout": name the address it could not reach, and what to do. */
function timedOut(error: unknown, params: ConnectionParams): RouteError | undefined {
  const message = String((error as Error)?.message ?? error);
  if (!/connection timeout|timeout expired/i.test(message)) return undefined;
  const ms = params.connectTimeoutMs ?? 15_000;
  return new RouteError(`${params.host}:${params.port}`, `no connection within ${ms} ms (${message})`, {
    cause: error,
    remedy:
      'check that the server runs and listens on that address, that no firewall drops the packets, or raise options.connectTimeoutSeconds',
  });
}

/** Type parsers that keep every value as the server's text, except booleans and small integers. */
export const exactTypes = {
  getTypeParser(oid: number, format?: string) {
    // bool, int2, int4, oid: safe in JS; everything else stays text.
    if (oid === 16 || oid === 21 || oid === 23 || oid === 26)
      return pg.types.getTypeParser(oid, format as 'text');
    return (value: string) => value;
  },
} as unknown as pg.CustomTypesConfig;
