import { isIP } from 'node:net';
import { networkInterfaces, hostname as osHostname } from 'node:os';
import { PgshiftError } from '@pgshift/plugin-api';

export const DEFAULT_LISTEN = '127.0.0.1:7432';

/** Where the console listens, parsed from `--listen host:port` (`[::1]:7432` for IPv6). */
export interface ListenAddress {
  host: string;
  port: number;
  /** Only this machine can connect: no token is asked for. */
  loopback: boolean;
  /** 0.0.0.0 or ::, every interface: the Host header is then checked against this machine's names. */
  wildcard: boolean;
}

export function parseListen(spec: string = DEFAULT_LISTEN): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(spec.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!match || !host || !Number.isInteger(port) || port > 65535)
    throw new PgshiftError('PGSHIFT_CONSOLE_LISTEN', `--listen ${spec} is not host:port`, {
      remedy: 'give an address and a port, e.g. --listen 127.0.0.1:7432 or --listen [::1]:7432',
    });
  const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
  return { host, port, loopback, wildcard: host === '0.0.0.0' || host === '::' };
}

/** `host:port` as a URL or a Host header writes it (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/**
 * The address to print for people to open: the listen address, or on a wildcard address this
 * machine's first external IPv4 address (its host name when it has none), which the Host guard
 * accepts; `0.0.0.0` itself is no address another machine can open.
 */
export function reachableHost(listen: ListenAddress): string {
  if (!listen.wildcard) return listen.host;
  for (const addresses of Object.values(networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return osHostname();
}
