import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { type Logger, RouteError } from '@pgshift/plugin-api';
import type { ConnectConfig, Client as SshClient } from 'ssh2';

const require = createRequire(import.meta.url);

/** ssh2's client, loaded with the first tunnel: most tasks reach their servers without a jump host. */
function sshClient(): SshClient {
  const { Client } = require('ssh2') as typeof import('ssh2');
  return new Client();
}

import type { ChannelCallback, ForwardedStream } from './forwarded-stream.js';
import { fingerprint, readKnownHosts } from './host-key.js';
import { revealSecret, type SecretValue } from './secret-text.js';

/** The `via.ssh` block of a connector config, after the kernel resolved its secrets. */
export interface SshJumpConfig {
  host: string;
  port?: number;
  user: string;
  privateKey?: SecretValue;
  privateKeyFile?: string;
  passphrase?: SecretValue;
  agent?: boolean;
  knownHosts?: string;
  hostKey?: string;
  strictHostKeyChecking?: boolean;
}

export interface TunnelContext {
  baseDir: string;
  timeoutMs: number;
  logger: Logger;
}

const live = new Set<SshTunnel>();
let exitHookInstalled = false;

/** At process exit nothing can be awaited; drop every connection still open so none outlives us. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const tunnel of live) tunnel.destroyNow();
  });
}

/** Tunnels open in this process (for tests and diagnostics). */
export function openTunnelCount(): number {
  return live.size;
}

/**
 * One SSH connection to a jump host; every PostgreSQL connection through it is a direct-tcpip
 * channel opened with forwardOut. No local port is opened, so nothing else on this machine can use
 * the tunnel, and closing the tunnel provably closes every channel.
 */
export class SshTunnel {
  readonly jumpHost: string;
  readonly #client: SshClient;
  readonly #streams = new Set<ForwardedStream>();
  readonly #closed: Promise<void>;
  #closing = false;
  /** close() was called: the route is done with this tunnel. */
  #closedByOwner = false;
  #ended = false;

  private constructor(jumpHost: string, client: SshClient) {
    this.jumpHost = jumpHost;
    this.#client = client;
    this.#closed = new Promise((done) => client.once('close', () => done()));
    client.once('close', () => {
      this.#ended = true;
      live.delete(this);
      for (const stream of this.#streams) stream.destroy();
    });
  }

  /** Connects and authenticates to the jump host; `route` describes the whole route for errors. */
  static async open(config: SshJumpConfig, ctx: TunnelContext, route: string): Promise<SshTunnel> {
    const port = config.port ?? 22;
    const jumpHost = `${config.user}@${config.host}:${port}`;
    const fail = (message: string, remedy?: string, cause?: unknown) =>
      new RouteError(route, `SSH jump host ${jumpHost}: ${message}`, {
        ...(remedy ? { remedy } : {}),
        ...(cause ? { cause } : {}),
      });

    const connect: ConnectConfig = {
      host: config.host,
      port,
      username: config.user,
      readyTimeout: ctx.timeoutMs,
      keepaliveInterval: 15_000,
    };
    if (config.privateKey !== undefined) connect.privateKey = revealSecret(config.privateKey) as string;
    else if (config.privateKeyFile !== undefined) {
      const file = configPath(ctx.baseDir, config.privateKeyFile);
      try {
        connect.privateKey = readFileSync(file);
      } catch (error) {
        throw fail(`cannot read the private key file ${file}`, 'check via.ssh.privateKeyFile', error);
      }
    }
    if (config.passphrase !== undefined) connect.passphrase = revealSecret(config.passphrase) as string;
    if (config.agent) {
      const socket = process.env.SSH_AUTH_SOCK;
      if (!socket) throw fail('agent: true but SSH_AUTH_SOCK is not set', 'start ssh-agent or give a key');
      connect.agent = socket;
    }

    const check = hostKeyCheck(config, ctx, port, fail);
    const revoked = revokedKeys(config, ctx, port);
    let seen: string | undefined;
    let seenRevoked = false;
    connect.hostVerifier = (key: Buffer) => {
      seen = fingerprint(key);
      // As OpenSSH: a key marked @revoked is refused whatever else would accept it.
      seenRevoked = revoked.some((r) => r.equals(key));
      return !seenRevoked && check(key, seen);
    };

    const client = sshClient();
    await new Promise<void>((done, reject) => {
      const timer = setTimeout(() => {
        client.end();
        reject(fail(`no SSH session within ${ctx.timeoutMs} ms`, 'check the jump host address and firewall'));
      }, ctx.timeoutMs + 1000);
      client.once('ready', () => {
        clearTimeout(timer);
        done();
      });
      client.once('error', (error: Error & { level?: string; code?: string }) => {
        clearTimeout(timer);
        client.end();
        if (seen !== undefined && seenRevoked && error.message.includes('verification failed')) {
          reject(
            fail(
              `host key ${seen} is marked @revoked in ${knownHostsFile(config, ctx)}; it is never accepted`,
              "the jump host presents a key its administrator revoked: ask them which key it should present now, and don't connect until it does",
            ),
          );
        } else if (seen !== undefined && error.message.includes('verification failed')) {
          reject(
            fail(
              `host key ${seen} is not trusted (${config.hostKey ? `via.ssh.hostKey is ${config.hostKey}` : `not listed in ${knownHostsFile(config, ctx)}`})`,
              `confirm ${seen} with the jump host's administrator, then add it to known_hosts or set via.ssh.hostKey`,
            ),
          );
        } else if (error.level === 'client-authentication') {
          reject(
            fail(`user ${config.user} was not accepted with the given key`, 'check via.ssh.user and the key'),
          );
        } else {
          reject(fail(error.message, 'check that the jump host is reachable from here', error));
        }
      });
      try {
        client.connect(connect);
      } catch (error) {
        // ssh2 throws synchronously for an unreadable key; its message names no key material.
        clearTimeout(timer);
        reject(fail((error as Error).message, 'check the private key and its passphrase'));
      }
    });

    const tunnel = new SshTunnel(jumpHost, client);
    client.on('error', (error: Error) => {
      ctx.logger.warn('SSH jump host connection failed; closing the tunnel', {
        jumpHost,
        error: error.message,
      });
      tunnel.destroyNow();
    });
    live.add(tunnel);
    installExitHook();
    return tunnel;
  }

  /** Whether the SSH connection ended without `close` (the jump host or the network dropped it). */
  get dropped(): boolean {
    return (this.#ended || this.#closing) && !this.#closedByOwner;
  }

  /** Opens a channel to host:port for `stream`, which closes with the tunnel. */
  forward(host: string, port: number, stream: ForwardedStream, callback: ChannelCallback): void {
    if (this.#closing || this.#ended) {
      callback(new Error(`the SSH tunnel through ${this.jumpHost} is closed`));
      return;
    }
    this.#streams.add(stream);
    stream.once('close', () => this.#streams.delete(stream));
    this.#client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => callback(error, channel));
  }

  /** Opens and closes one channel to host:port, proving the jump host can reach it. */
  async probe(host: string, port: number, timeoutMs: number): Promise<void> {
    await new Promise<void>((done, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the jump host did not reach ${host}:${port} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
        clearTimeout(timer);
        if (error) {
          reject(new Error(`the jump host cannot reach ${host}:${port} (${error.message})`));
          return;
        }
        channel.close();
        done();
      });
    });
  }

  /** Channels currently open through this tunnel. */
  get openChannels(): number {
    return this.#streams.size;
  }

  /** Closes every channel and the SSH connection, and waits until the socket is gone. */
  async close(): Promise<void> {
    this.#closedByOwner = true;
    this.#closing = true;
    for (const stream of this.#streams) stream.destroy();
    this.#client.end();
    const timer = setTimeout(() => this.destroyNow(), 2000);
    await this.#closed;
    clearTimeout(timer);
    live.delete(this);
  }

  /** Synchronous teardown for error and exit paths. */
  destroyNow(): void {
    this.#closing = true;
    for (const stream of this.#streams) stream.destroy();
    (this.#client as SshClient & { destroy?: () => void }).destroy?.();
    live.delete(this);
  }
}

/** A path from the config: `~/` is the home directory, anything else relative to the config file. */
function configPath(baseDir: string, path: string): string {
  return path === '~' || path.startsWith('~/') ? resolve(homedir(), path.slice(2)) : resolve(baseDir, path);
}

function knownHostsFile(config: SshJumpConfig, ctx: TunnelContext): string {
  return config.knownHosts
    ? configPath(ctx.baseDir, config.knownHosts)
    : resolve(homedir(), '.ssh/known_hosts');
}

/** Keys known_hosts marks @revoked for the jump host; none when the file cannot be read. */
function revokedKeys(config: SshJumpConfig, ctx: TunnelContext, port: number): Buffer[] {
  try {
    return readKnownHosts(knownHostsFile(config, ctx), config.host, port).revoked;
  } catch {
    return [];
  }
}

/** Decides, before connecting, how a presented host key is judged. */
function hostKeyCheck(
  config: SshJumpConfig,
  ctx: TunnelContext,
  port: number,
  fail: (message: string, remedy?: string) => RouteError,
): (key: Buffer, seen: string) => boolean {
  if (config.strictHostKeyChecking === false) {
    return (_key, seen) => {
      ctx.logger.warn('SSH host key not checked (strictHostKeyChecking: false)', {
        host: config.host,
        fingerprint: seen,
      });
      return true;
    };
  }
  if (config.hostKey) {
    const expected = config.hostKey.replace(/=+$/, '');
    return (_key, seen) => seen === expected;
  }
  const file = knownHostsFile(config, ctx);
  let keys: Buffer[];
  try {
    keys = readKnownHosts(file, config.host, port).keys;
  } catch {
    throw fail(
      `cannot read known_hosts file ${file}`,
      'set via.ssh.knownHosts to a known_hosts file or via.ssh.hostKey to the expected fingerprint',
    );
  }
  return (key) => keys.some((known) => known.equals(key));
}
