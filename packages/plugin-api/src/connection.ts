import type { Duplex } from 'node:stream';

/** TLS settings for a PostgreSQL connection, in the terms of libpq's sslmode. */
export interface TlsSettings {
  /** Absent: as libpq, PGSSLMODE from the environment, else `prefer`. */
  sslmode?: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  /**
   * PEM text of the certificate authorities to trust (libpq's sslrootcert), or `system` for the
   * system's trusted roots. With it, `require` verifies the chain as `verify-ca` does (libpq too).
   */
  ca?: string;
  /** PEM text of the client certificate (libpq's sslcert), and of its key (sslkey). */
  cert?: string;
  key?: string;
  /** Host name to check the certificate against when it differs from the connected address. */
  servername?: string;
  /** Where each setting came from, for `check` (`sslrootcert ca.pem`); set by the connector. */
  origin?: string;
}

/**
 * Everything needed to open one PostgreSQL connection. It is shaped like node-postgres's client
 * config on purpose, so the toolkit can hand it over unchanged.
 */
export interface ConnectionParams {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  tls?: TlsSettings;
  /** Replaces the TCP socket, for example with a channel through an SSH tunnel. */
  stream?: () => Duplex;
  /** Opens a walsender connection in database mode (logical replication). */
  replication?: boolean;
  connectTimeoutMs?: number;
}

/** An open route to one server. Created by a connector, closed by whoever opened it. */
export interface Route {
  /** Where the route leads, for messages; never contains a secret. */
  readonly description: string;
  /** Facts the route resolved (region, VPC, instance id ...), for checks and reports. */
  readonly facts: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Parameters for a connection through this route. */
  connection(options?: { database?: string; replication?: boolean }): ConnectionParams;
  /** Releases every resource the route holds (tunnels, sockets). Safe to call twice. */
  close(): Promise<void>;
}
