import { FaultProxy, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionLoss, openClient } from '../src/index.js';

/** The error a promise rejects with (the test fails if it resolves). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('connectionLoss, on errors real servers and sockets give', () => {
  let server: SandboxServer;
  beforeAll(async () => {
    server = await startPostgres({ major: 15, password: 'pw-loss' });
  });
  afterAll(() => server?.stop());

  it('is a loss when the backend is terminated, the socket is cut, or nothing listens', async () => {
    const victim = await openClient(server.connection());
    const [{ pid }] = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
      { pid: number },
    ];
    await server.query('SELECT pg_terminate_backend($1)', [pid]);
    expect(connectionLoss(await failure(victim.query('SELECT 1')))).toBeDefined();

    const proxy = await FaultProxy.start(server);
    try {
      const through = await openClient({ ...server.connection(), port: proxy.port });
      const slow = through.query('SELECT pg_sleep(5)');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(proxy.drop()).toBe(1);
      expect(connectionLoss(await failure(slow))).toBeDefined();
    } finally {
      await proxy.close();
    }

    const nothing = await FaultProxy.start({ host: '127.0.0.1', port: 1 });
    await nothing.close();
    const refused = await failure(openClient({ ...server.connection(), port: nothing.port }));
    expect(connectionLoss(refused)).toMatch(/ECONNREFUSED/);
    // Wrapped, as the replicator and the loader wrap what they catch.
    expect(connectionLoss(new Error('applying failed', { cause: refused }))).toMatch(/ECONNREFUSED/);
  });

  it('is no loss when the request itself is wrong: retrying would fail the same way', async () => {
    const client = await openClient(server.connection());
    try {
      expect(connectionLoss(await failure(client.query('SELEC 1')))).toBeUndefined();
      expect(connectionLoss(await failure(client.query('SELECT * FROM no_such_table')))).toBeUndefined();
    } finally {
      await client.end();
    }
    const wrongPassword = new pg.Client({ ...server.connection(), password: 'wrong' });
    expect(connectionLoss(await failure(wrongPassword.connect()))).toBeUndefined();
    await wrongPassword.end().catch(() => {});
    const noDatabase = await failure(openClient({ ...server.connection(), database: 'gone' }));
    expect(connectionLoss(noDatabase)).toBeUndefined();
  });
});
