import { networkInterfaces, hostname as osHostname } from 'node:os';
import type { MiddlewareHandler } from 'hono';
import { hostPort, type ListenAddress } from '../listen-address.js';
import { refuse } from './refuse.js';

/**
 * The Host headers the console answers to. A DNS rebinding attack points a name the attacker owns
 * at this address: the browser then sends that name as Host, which is not in this set. On
 * loopback, `localhost` too; on a wildcard address, this machine's own addresses and name.
 */
export function allowedHosts(listen: ListenAddress): Set<string> {
  const hosts = new Set([hostPort(listen.host, listen.port)]);
  if (listen.loopback) {
    hosts.add(`localhost:${listen.port}`);
    hosts.add(hostPort('127.0.0.1', listen.port));
    hosts.add(hostPort('::1', listen.port));
  }
  if (listen.wildcard) {
    for (const addresses of Object.values(networkInterfaces()))
      for (const a of addresses ?? []) hosts.add(hostPort(a.address, listen.port));
    hosts.add(`${osHostname()}:${listen.port}`);
    hosts.add(`localhost:${listen.port}`);
  }
  return new Set([...hosts].map((h) => h.toLowerCase()));
}

/**
 * Refuses a request whose Host is not the console's own (DNS rebinding), and one whose Origin,
 * when the browser sends it, is another site's (a cross-site form post or fetch).
 */
export function hostGuard(listen: ListenAddress): MiddlewareHandler {
  // Worked out at the first request: with port 0 the port is known once the server listens.
  let hosts: Set<string> | undefined;
  return async (c, next) => {
    hosts ??= allowedHosts(listen);
    const host = c.req.header('host')?.toLowerCase();
    if (!host || !hosts.has(host))
      return refuse(
        c,
        'This console answers only to its own address; the Host header names another.',
        `open it at http://${hostPort(listen.host, listen.port)}/ (the address pgshift console printed)`,
      );
    const origin = c.req.header('origin');
    if (origin && origin !== 'null' && origin.toLowerCase() !== `http://${host}`)
      return refuse(c, 'A page of another site sent this request.', 'use the console from its own pages');
    if (origin === 'null' && c.req.method !== 'GET')
      return refuse(c, 'A page without an origin sent this request.', 'use the console from its own pages');
    await next();
  };
}
