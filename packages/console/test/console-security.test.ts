import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTaskStore, newTaskRecord } from '@pgshift/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHandle, startConsole } from '../src/index.js';
import { TOKENS_FILE, TokenBook } from '../src/security/tokens.js';
import { client, type Reply } from './http-client.js';

const PASSWORD = 'sup3r-secret-source-password';
const dir = mkdtempSync(join(tmpdir(), 'pgshift-console-'));
const store = new FileTaskStore(join(dir, 'store'));
const stateDir = join(dir, 'console');
const consoles: ConsoleHandle[] = [];
const allReplies: Reply[] = [];

const CONFIG = `task:\n  name: shop\nsource:\n  access: public-ip\n  host: db1.internal\n  port: 5432\n  user: app\n  password: ${PASSWORD}\ntarget:\n  access: public-ip\n  host: db2.internal\n  port: 5433\n  user: app\n  password: ${PASSWORD}\nobjects:\n  databases: [shop]\nmode: full\n`;

async function start(listen: string) {
  const handle = await startConsole({ store, listen, stateDir, pollMs: 100 });
  consoles.push(handle);
  return handle;
}

function tracked(base: string) {
  const c = client(base);
  const send = c.send;
  return Object.assign(c, {
    send: async (...args: Parameters<typeof send>) => {
      const reply = await send(...args);
      allReplies.push(reply);
      return reply;
    },
  });
}

beforeAll(async () => {
  for (const name of ['shop', 'books'])
    await store.create(
      newTaskRecord({
        name,
        mode: 'full',
        config: { path: join(dir, `${name}.yaml`), fileName: 'config.yaml', text: CONFIG },
      }),
    );
});

afterAll(async () => {
  for (const c of consoles) await c.close();
  await store.close();
  // No page, API answer, event or refusal ever carried a secret.
  for (const reply of allReplies) {
    expect(reply.body).not.toContain(PASSWORD);
    for (const c of consoles) if (c.newToken) expect(JSON.stringify(reply)).not.toContain(c.newToken.token);
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('console on loopback', () => {
  it('serves pages without a token, refuses a POST without the CSRF token, carries out one with it', async () => {
    const handle = await start('127.0.0.1:0');
    expect(handle.newToken).toBeUndefined();
    const c = tracked(handle.url);
    const list = await c.send('/');
    expect(list.status).toBe(200);
    expect(list.body).toContain('<tr data-task="shop"');
    expect(list.body).toContain('db1.internal:5432 → db2.internal:5433');
    expect(list.headers['content-security-policy']).toContain("script-src 'self'");
    expect(String(list.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(String(list.headers['set-cookie'])).toContain('Path=/');
    const csrf = c.csrfOf(list);

    const refused = await c.send('/tasks/books/cancel', { method: 'POST', form: {} });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('CSRF');
    const wrong = await c.send('/tasks/books/cancel', { method: 'POST', form: { _csrf: `${csrf}x` } });
    expect(wrong.status).toBe(403);
    expect((await store.get('books'))?.status).toBe('created');

    const done = await c.send('/tasks/books/cancel', { method: 'POST', form: { _csrf: csrf } });
    expect(done.status).toBe(303);
    expect((await store.get('books'))?.status).toBe('cancelled');

    // The header works as the form field does (what the client script sends).
    const again = await c.send('/tasks/books/cancel', { method: 'POST', headers: { 'x-csrf-token': csrf } });
    expect(again.status).toBe(409);
    expect(again.body).toContain('already been cancelled');

    for (const path of ['/tasks/shop', '/plugins', '/api/tasks', '/api/tasks/shop', '/tasks/shop/live.json'])
      expect((await c.send(path)).status, path).toBe(200);
    const api = JSON.parse((await c.send('/api/tasks/shop')).body);
    expect(api.name).toBe('shop');
    expect(api.config).toEqual({ path: join(dir, 'shop.yaml') });
  });

  it('refuses a Host header other than its own (DNS rebinding) and a cross-site Origin', async () => {
    const handle = await start('127.0.0.1:0');
    const c = tracked(handle.url);
    const rebound = await c.send('/', { headers: { host: `attacker.example:${handle.listen.port}` } });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('Host header');
    const csrf = c.csrfOf(await c.send('/'));
    const crossSite = await c.send('/tasks/shop/cancel', {
      method: 'POST',
      headers: { origin: 'http://attacker.example', 'x-csrf-token': csrf },
    });
    expect(crossSite.status).toBe(403);
    expect((await store.get('shop'))?.status).toBe('created');
  });

  it('sends an event when a task changes', async () => {
    const handle = await start('127.0.0.1:0');
    const received = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(new URL('/events', handle.url), (res) => {
        let text = '';
        const touch = setInterval(
          () =>
            void store.update('shop', (r) => {
              r.updatedAt = new Date().toISOString();
            }),
          150,
        );
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('event: task')) {
            clearInterval(touch);
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    const data = /data: (.*)/.exec(received)?.[1] ?? '';
    expect(JSON.parse(data)).toMatchObject({
      name: 'shop',
      status: 'created',
      source: { access: 'public-ip', host: 'db1.internal', port: 5432 },
      view: { endpoints: expect.stringContaining('db1.internal:5432 →'), status: 'created' },
    });
    expect(received).not.toContain(PASSWORD);
  });
});

describe('console on a network address', () => {
  it('refuses every page without the token, allows them after sign-in, keeps only a 0600 hash', async () => {
    const handle = await start('0.0.0.0:0');
    const token = handle.newToken?.token ?? '';
    expect(handle.newToken?.label).toBe('admin');
    expect(token.length).toBeGreaterThan(30);
    const file = join(stateDir, TOKENS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(token);

    const c = tracked(`http://127.0.0.1:${handle.listen.port}/`);
    const pages = [
      '/',
      '/tasks/shop',
      '/plugins',
      '/api/tasks',
      '/api/tasks/shop',
      '/tasks/shop/live.json',
      '/events',
    ];
    // A browser opening a page is sent to sign in; the API, JSON and the stream answer 403.
    const isPage = (path: string) =>
      !path.startsWith('/api/') && path !== '/events' && !path.endsWith('.json');
    const refused = async (path: string) => {
      const reply = await c.send(path);
      return isPage(path)
        ? reply.status === 303 && reply.headers.location === '/login'
        : reply.status === 403;
    };
    for (const path of pages) expect(await refused(path), path).toBe(true);
    const login = await c.send('/login');
    expect(login.status).toBe(200);
    const csrf = c.csrfOf(login);
    expect((await c.send('/login', { method: 'POST', form: { token } })).status).toBe(403);
    expect((await c.send('/login', { method: 'POST', form: { token: 'wrong', _csrf: csrf } })).status).toBe(
      403,
    );
    expect(await refused('/')).toBe(true);
    expect((await c.send('/api/tasks')).status).toBe(403);
    const before = c.cookie;
    const signedIn = await c.send('/login', { method: 'POST', form: { token, _csrf: csrf } });
    expect(signedIn.status).toBe(303);
    expect(c.cookie).not.toBe(before);
    for (const path of pages.filter((p) => p !== '/events'))
      expect((await c.send(path)).status, path).toBe(200);
    expect((await c.send('/')).body).toContain('console:admin');

    // A restart keeps the token (no new one printed) and signs the old session out.
    await handle.close();
    const restarted = await start('0.0.0.0:0');
    expect(restarted.newToken).toBeUndefined();
    const again = tracked(`http://127.0.0.1:${restarted.listen.port}/`);
    expect((await again.send('/')).headers.location).toBe('/login');
    expect((await again.send('/api/tasks')).status).toBe(403);
  });

  it('takes a token added while it runs, records its label, and signs it out when revoked', async () => {
    const handle = await start('0.0.0.0:0');
    const tokens = new TokenBook(stateDir);
    const token = tokens.create('alice');
    expect(() => tokens.create('alice')).toThrow(/exists already/);
    expect(() => tokens.create('Not A Label')).toThrow(/not a token label/);
    expect(tokens.list().map((t) => t.label)).toEqual(['admin', 'alice']);

    const c = tracked(`http://127.0.0.1:${handle.listen.port}/`);
    const csrf = c.csrfOf(await c.send('/login'));
    expect((await c.send('/login', { method: 'POST', form: { token, _csrf: csrf } })).status).toBe(303);
    expect((await c.send('/')).body).toContain('console:alice');

    // Revoked from another process (its own TokenBook over the same file): signed out at once.
    new TokenBook(stateDir).revoke('alice');
    expect((await c.send('/')).headers.location).toBe('/login');
    expect((await c.send('/api/tasks')).status).toBe(403);
    const again = c.csrfOf(await c.send('/login'));
    expect((await c.send('/login', { method: 'POST', form: { token, _csrf: again } })).status).toBe(403);
    for (const reply of c.seen) expect(reply.body).not.toContain(token);
  });
});
