import { type ConnectionParams, RouteError } from '@pgshift/plugin-api';
import pg from 'pg';
import {
  effectiveTls,
  fallsBack,
  offersNoTls,
  requireRootCertificate,
  tlsAttempts,
  tlsFailure,
} from './tls.js';

/** Route parameters as node-postgres client settings, TLS aside (see connectClient). */
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
  if (params.stream) config.stream = params.stream;
  if (params.replication) (config as { replication?: string }).replication = 'database';
  return config;
}

const NO_TLS_MEMORY_MS = 60_000;
const noTlsUntil = new Map<string, number>();

/**
 * Opens a connected client, negotiating TLS as libpq does for the route's sslmode (default
 * `prefer`: encrypted whenever the server offers it). `extra` adds client settings (type
 * parsers, startup options).
 */
export async function connectClient(
  params: ConnectionParams,
  applicationName: string,
  extra: Partial<pg.ClientConfig> = {},
): Promise<pg.Client> {
  const tls = effectiveTls(params.tls);
  const address = `${params.host}:${params.port}`;
  requireRootCertificate(tls, address);
  const attempts = tlsAttempts(tls, params.host);
  // A server that just said it offers no TLS is asked again only after a while, not on every
  // connection (node-postgres must reconnect to fall back, libpq goes on on the same socket).
  if (tls.sslmode === 'prefer' && (noTlsUntil.get(address) ?? 0) > Date.now()) attempts.shift();
  for (const [index, ssl] of attempts.entries()) {
    const client = new pg.Client({ ...clientConfig(params, applicationName), ...extra, ssl });
    // An error on an idle client (server shutdown, network) must not crash the process; the next
    // query on it fails instead and the owner deals with it there.
    client.on('error', () => {});
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      if (index < attempts.length - 1 && fallsBack(error)) {
        if (ssl && offersNoTls(error)) noTlsUntil.set(address, Date.now() + NO_TLS_MEMORY_MS);
        continue;
      }
      throw tlsFailure(error, tls, address) ?? timedOut(error, params) ?? error;
    }
  }
  throw new Error('no connection attempt was made');
}

/**
 * Opens a connected client. Values that must stay exact (int8, numeric, dates) are left as the
 * server's text by the type parsers set here, never turned into JS numbers or Dates.
 */
export function openClient(params: ConnectionParams, applicationName?: string): Promise<pg.Client> {
  return connectClient(params, applicationName ?? 'pgshift', { types: exactTypes });
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
export const exactTypes: pg.CustomTypesConfig = {
  // pg declares getTypeParser generic over the parsed type; ours returns text or pg's own parser.
  getTypeParser: ((oid: number, format?: string) => {
    // bool, int2, int4, oid: safe in JS; everything else stays text.
    if (oid === 16 || oid === 21 || oid === 23 || oid === 26)
      return pg.types.getTypeParser(oid, format as 'text');
    return (value: string) => value;
  }) as pg.CustomTypesConfig['getTypeParser'],
};
