import { createServer, type Server, type Socket } from 'node:net';
import { isPgshiftError } from '@pgshift/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient } from '../src/index.js';

// A server that accepts the TCP connection and never answers: the client waits out its timeout.
let silent: Server;
const sockets: Socket[] = [];
let port = 0;

beforeAll(async () => {
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
  port = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((done) => silent.close(done));
});

describe('openClient', () => {
  it('names the address and the time allowed when a connection times out, with a remedy', async () => {
    const error = await openClient({
      host: '127.0.0.1',
      port,
      user: 'u',
      password: 'connect-timeout-secret',
      database: 'd',
      connectTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(isPgshiftError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1:${port}: no connection within 300 ms \\((timeout expired|Connection terminated due to connection timeout)\\)$`,
      ),
    );
    expect((error as { remedy?: string }).remedy).toMatch(/connectTimeoutSeconds/);
    expect(JSON.stringify(error)).not.toContain('connect-timeout-secret');
  });
});
