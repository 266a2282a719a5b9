import { freePort, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../run-cli.js';
import { task } from '../tasks-support.js';
import { type BackgroundRun, startCli, waitFor } from './support.js';

const STORE_PASSWORD = 'St0re-Pa55word-for-console';
const SERVER_PASSWORD = 'Serv3r-Pa55word-in-config';

/**
 * The console over the shared PostgreSQL store (issue 21): two consoles, as on two machines, and
 * the CLI see one state, and neither the store's password (in its URL) nor a config's password
 * reaches a browser.
 */
describe('console over the PostgreSQL task store', () => {
  let storeServer: SandboxServer;
  let store: string;
  const dir = tempDir();
  const consoles: BackgroundRun[] = [];
  const bodies: string[] = [];

  async function get(base: string, path: string): Promise<string> {
    const response = await fetch(new URL(path, base), { headers: { accept: 'text/html' } });
    const body = await response.text();
    bodies.push(body);
    expect(response.status, `${path}: ${body.slice(0, 300)}`).toBe(200);
    return body;
  }

  async function startConsole(): Promise<string> {
    const port = await freePort();
    const run = startCli(['console', '--store', store, '--listen', `127.0.0.1:${port}`]);
    consoles.push(run);
    await waitFor('the console to listen', () => run.output().includes('pgshift console: http://'), 60_000);
    return `http://127.0.0.1:${port}/`;
  }

  beforeAll(async () => {
    storeServer = await startPostgres({ major: 15, password: STORE_PASSWORD });
    await storeServer.query('CREATE DATABASE taskstore');
    store = `postgres://${storeServer.user}:${STORE_PASSWORD}@${storeServer.host}:${storeServer.port}/taskstore`;
  });
  afterAll(async () => {
    for (const run of consoles) run.child.kill('SIGINT');
    await Promise.all(consoles.map((run) => run.exited));
    for (const run of consoles) {
      expect(run.output()).not.toContain(STORE_PASSWORD);
      expect(run.output()).not.toContain(SERVER_PASSWORD);
    }
    await storeServer?.stop();
    dir.cleanup();
  });

  it('two consoles and the CLI show the same tasks and statuses; no password reaches a browser', async () => {
    const config = dir.write(
      'shared.yaml',
      `task:\n  name: shared\nsource:\n  access: public-ip\n  host: db1.example\n  port: 5432\n  user: app\n  password: ${SERVER_PASSWORD}\n` +
        `target:\n  access: public-ip\n  host: db2.example\n  port: 5433\n  user: app\n  password: ${SERVER_PASSWORD}\n` +
        'objects:\n  databases: [shop]\nmode: full\n',
    );
    await task(store, ['create', '-c', config]);
    const [first, second] = await Promise.all([startConsole(), startConsole()]);

    const statuses = async (base: string) => {
      const response = await fetch(new URL('/api/tasks', base));
      const text = await response.text();
      bodies.push(text);
      return (JSON.parse(text) as { name: string; status: string }[]).map((t) => [t.name, t.status]);
    };
    const cli = async () =>
      (JSON.parse((await task(store, ['list'])).stdout) as { name: string; status: string }[]).map((t) => [
        t.name,
        t.status,
      ]);
    expect(await statuses(first)).toEqual([['shared', 'created']]);
    expect(await statuses(second)).toEqual(await cli());

    // Cancelled from the CLI: both consoles show it, on their pages too.
    await task(store, ['cancel', 'shared']);
    for (const base of [first, second]) {
      expect(await statuses(base)).toEqual([['shared', 'cancelled']]);
      expect(await get(base, '/')).toMatch(/data-task="shared" data-status="cancelled"/);
      const detail = await get(base, '/tasks/shared');
      expect(detail).toContain('cli:');
      expect(detail).toContain('db1.example:5432');
    }
    expect(await cli()).toEqual([['shared', 'cancelled']]);

    for (const path of ['/tasks/shared/verify', '/tasks/shared/config.yaml', '/api/tasks/shared', '/plugins'])
      await get(first, path);
    for (const body of bodies) {
      expect(body).not.toContain(STORE_PASSWORD);
      expect(body).not.toContain(SERVER_PASSWORD);
    }
  });
});
