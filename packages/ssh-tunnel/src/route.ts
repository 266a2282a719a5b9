import {
  Capability,
  type ConnectionParams,
  type ConnectorContext,
  type Route,
  RouteError,
} from '@pgshift/plugin-api';
import { probeTcp } from './probe.js';
import { ReopeningTunnel } from './reopening-tunnel.js';
import { revealSecret, type SecretValue } from './secret-text.js';
import { type TlsConfig, tlsSettings } from './tls-config.js';
import { type SshJumpConfig, SshTunnel } from './tunnel.js';

/** What a connector whose routes openRoute opens can do: both kinds of connection, TLS, an SSH jump host. */
export const ROUTE_CAPABILITIES = [
  Capability.connector.normal,
  Capability.connector.replication,
  Capability.connector.tls,
  Capability.connector.sshTunnel,
] as const;

export interface RouteSpec {
  /** What the route leads to, without secrets: `cvm ins-1 in ap-guangzhou (10.0.0.5:5432)`. */
  description: string;
  host: string;
  port: number;
  user: string;
  password?: SecretValue;
  /** Default database when the caller names none. */
  database?: string;
  /** The config's `tls` block; its files are read relative to the config file. */
  tls?: TlsConfig;
  facts?: Route['facts'];
  via?: { ssh?: SshJumpConfig };
}

/**
 * Opens a route to host:port, through the SSH jump host when `via.ssh` is given, and proves it
 * reaches the server (a TCP connection or a channel) before returning. Fails with a RouteError
 * that describes the route, within ctx.timeoutMs.
 */
export async function openRoute(spec: RouteSpec, ctx: ConnectorContext): Promise<Route> {
  const ssh = spec.via?.ssh;
  const description = ssh
    ? `${spec.description} via SSH ${ssh.user}@${ssh.host}:${ssh.port ?? 22}`
    : spec.description;
  const aborted = () => {
    if (ctx.signal?.aborted) throw new RouteError(description, 'opening the route was cancelled');
  };
  aborted();

  let tunnel: ReopeningTunnel | undefined;
  if (ssh) {
    const open = () => SshTunnel.open(ssh, ctx, description);
    tunnel = new ReopeningTunnel(await open(), open, ctx.logger);
  }
  try {
    aborted();
    if (tunnel) await tunnel.probe(spec.host, spec.port, ctx.timeoutMs);
    else await probeTcp(spec.host, spec.port, ctx.timeoutMs);
  } catch (error) {
    await tunnel?.close();
    if (error instanceof RouteError) throw error;
    throw new RouteError(description, (error as Error).message, {
      remedy: tunnel
        ? 'check that the server accepts connections from the jump host'
        : 'check the address, the port and any firewall between here and the server',
    });
  }

  const password = revealSecret(spec.password);
  const tls = tlsSettings(spec.tls, ctx.baseDir, `${ctx.role}.tls`);
  const stream = tunnel?.streamFactory(spec.host, spec.port);
  let closed = false;
  return {
    description,
    facts: Object.freeze({ ...spec.facts, host: spec.host, port: spec.port, sshJumpHost: tunnel?.jumpHost }),
    connection(options = {}): ConnectionParams {
      if (closed) throw new RouteError(description, 'the route is closed');
      return {
        host: spec.host,
        port: spec.port,
        user: spec.user,
        ...(password === undefined ? {} : { password }),
        database: options.database ?? spec.database ?? 'postgres',
        ...(tls ? { tls } : {}),
        ...(stream ? { stream } : {}),
        ...(options.replication ? { replication: true } : {}),
        connectTimeoutMs: ctx.timeoutMs,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await tunnel?.close();
    },
  };
}

/** The fields every connector's block has and passes to its route unchanged. */
export interface EndpointFields {
  user: string;
  password?: SecretValue;
  database?: string;
  tls?: TlsConfig;
  via?: { ssh?: SshJumpConfig };
}

/** The part of a RouteSpec that comes straight from a connector's config block. */
export function endpointFields(
  config: EndpointFields,
): Pick<RouteSpec, 'user' | 'password' | 'database' | 'tls' | 'via'> {
  return {
    user: config.user,
    ...(config.tls ? { tls: config.tls } : {}),
    ...(config.password === undefined ? {} : { password: config.password }),
    ...(config.database ? { database: config.database } : {}),
    ...(config.via ? { via: config.via } : {}),
  };
}
