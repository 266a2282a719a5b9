import { timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import type { Connection, ParsedKey } from 'ssh2';

// ssh2 is CommonJS, required when a bastion starts: importing it (with the package index, as every
// connector does) costs a tenth of a second that a task without a jump host should not pay.
const require = createRequire(import.meta.url);

function ssh2(): typeof import('ssh2') {
  return require('ssh2') as typeof import('ssh2');
}

import { fingerprint } from './host-key.js';

/** An in-process SSH jump host for tests: public-key login, direct-tcpip forwarding only. */
export interface TestBastion {
  host: string;
  port: number;
  user: string;
  /** Private key (OpenSSH text) the bastion accepts for `user`. */
  clientPrivateKey: string;
  /** SHA256 fingerprint of the bastion's host key. */
  hostKeyFingerprint: string;
  /** A known_hosts line for this bastion. */
  knownHostsLine: string;
  /** SSH client connections currently open. */
  readonly connections: number;
  /** Forwarded TCP connections currently open. */
  readonly forwards: number;
  /** Forwarded TCP connections opened since start. */
  readonly forwardsOpened: number;
  /** SSH client connections accepted since start. */
  readonly connectionsOpened: number;
  /** Ends every SSH connection and cuts what it forwards, as a jump host restart does. */
  dropConnections(): void;
  close(): Promise<void>;
}

function parsed(text: string): ParsedKey {
  const key = ssh2().utils.parseKey(text);
  if (key instanceof Error) throw key;
  return Array.isArray(key) ? (key[0] as ParsedKey) : key;
}

/**
 * An ed25519 pair that ssh2 can read back. ssh2's generator strips leading zero bytes from
 * the public key, so about one pair in 128 comes out malformed (mscdex/ssh2#1390); such a
 * pair is drawn again.
 */
export function readableKeyPair(): { private: string; public: string } {
  const { utils } = ssh2();
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error))
      return pair;
  }
}

export interface TestBastionOptions {
  user?: string;
  /**
   * Names only the bastion can resolve, like a private DNS zone behind it: a route to
   * `db.private.example` then works only through the jump host.
   */
  aliases?: Record<string, string>;
}

export async function startTestBastion(options: TestBastionOptions = {}): Promise<TestBastion> {
  const user = options.user ?? 'jump';
  const hostKeys = readableKeyPair();
  const clientKeys = readableKeyPair();
  const allowed = parsed(clientKeys.public);
  const hostBlob = parsed(hostKeys.private).getPublicSSH();
  const clients = new Set<Connection>();
  const sockets = new Set<Socket>();
  let opened = 0;
  let sessions = 0;

  const server = new (ssh2().Server)({ hostKeys: [hostKeys.private] }, (client) => {
    clients.add(client);
    sessions++;
    client.once('close', () => clients.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || ctx.username !== user) return ctx.reject(['publickey']);
      const blob = allowed.getPublicSSH();
      const sameKey =
        ctx.key.algo === allowed.type &&
        ctx.key.data.length === blob.length &&
        timingSafeEqual(ctx.key.data, blob);
      if (!sameKey) return ctx.reject(['publickey']);
      if (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true)
        return ctx.reject(['publickey']);
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('tcpip', (accept, reject, info) => {
        const socket = connect(info.destPort, options.aliases?.[info.destIP] ?? info.destIP);
        sockets.add(socket);
        opened++;
        socket.once('close', () => sockets.delete(socket));
        socket.once('error', () => {
          reject?.();
          socket.destroy();
        });
        socket.once('connect', () => {
          const channel = accept();
          channel.on('error', () => socket.destroy());
          channel.once('close', () => socket.destroy());
          socket.once('close', () => channel.close());
          channel.pipe(socket).pipe(channel);
        });
      });
      client.on('session', (_accept, reject) => reject());
    });
  });

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.address() as { port: number }).port;
  return {
    host: '127.0.0.1',
    port,
    user,
    clientPrivateKey: clientKeys.private,
    hostKeyFingerprint: fingerprint(hostBlob),
    knownHostsLine: `[127.0.0.1]:${port} ${parsed(hostKeys.private).type} ${hostBlob.toString('base64')}`,
    get connections() {
      return clients.size;
    },
    get forwards() {
      return sockets.size;
    },
    get forwardsOpened() {
      return opened;
    },
    get connectionsOpened() {
      return sessions;
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy();
      for (const client of clients) client.end();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      for (const client of clients) client.end();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
