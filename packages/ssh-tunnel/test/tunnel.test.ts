import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClient } from '@pgshift/pg';
import { type ConnectorContext, RouteError, silentLogger } from '@pgshift/plugin-api';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fingerprint,
  knownHostKeys,
  openRoute,
  openTunnelCount,
  readKnownHosts,
  startTestBastion,
  type TestBastion,
} from '../src/index.js';

const PASSWORD = 'tunnel-Pw-4f9c2a';
let pg: SandboxServer;
let bastion: TestBastion;
let dir: string;
const ctx: ConnectorContext = { role: 'source', logger: silentLogger, baseDir: '/', timeoutMs: 5000 };

beforeAll(async () => {
  [pg, bastion] = await Promise.all([startPostgres({ major: 17, password: PASSWORD }), startTestBastion()]);
  dir = mkdtempSync(join(tmpdir(), 'pgshift-ssh-'));
  writeFileSync(join(dir, 'known_hosts'), `# test\n${bastion.knownHostsLine}\n`);
  writeFileSync(join(dir, 'id'), bastion.clientPrivateKey);
});

afterAll(async () => {
  await bastion?.close();
  await pg?.stop();
});

const ssh = () => ({ host: bastion.host, port: bastion.port, user: bastion.user });

describe('ssh tunnel', () => {
  it('carries normal and replication connections through forwardOut channels and closes them all', async () => {
    const route = await openRoute(
      {
        description: 'test server',
        host: '127.0.0.1',
        port: pg.port,
        user: 'postgres',
        password: PASSWORD,
        via: { ssh: { ...ssh(), privateKeyFile: 'id', knownHosts: 'known_hosts' } },
      },
      { ...ctx, baseDir: dir },
    );
    expect(route.description).toContain(`via SSH jump@127.0.0.1:${bastion.port}`);
    const normal = await openClient(route.connection());
    const { rows } = await normal.query('select inet_client_addr()::text as addr, 6*7 as n');
    expect(rows[0]).toMatchObject({ n: 42 });
    const replication = await openClient(route.connection({ replication: true }));
    const identify = await replication.query('IDENTIFY_SYSTEM');
    expect(identify.rows[0]).toHaveProperty('systemid');
    expect(bastion.forwards).toBe(2);
    await replication.end();
    // route.close() must release channels even while a client is still connected.
    await route.close();
    await route.close();
    await normal.end().catch(() => {});
    await expect.poll(() => bastion.connections).toBe(0);
    await expect.poll(() => bastion.forwards).toBe(0);
    expect(openTunnelCount()).toBe(0);
  });

  it('accepts a host key given as a fingerprint and an inline key', async () => {
    const route = await openRoute(
      {
        description: 'test server',
        host: '127.0.0.1',
        port: pg.port,
        user: 'postgres',
        password: PASSWORD,
        via: { ssh: { ...ssh(), privateKey: bastion.clientPrivateKey, hostKey: bastion.hostKeyFingerprint } },
      },
      ctx,
    );
    const client = await openClient(route.connection());
    await client.end();
    await route.close();
    await expect.poll(() => bastion.connections).toBe(0);
  });

  it('refuses an unknown host key, naming the host and the fingerprint', async () => {
    const wrong = `SHA256:${'A'.repeat(43)}`;
    const attempt = openRoute(
      {
        description: 'test server',
        host: '127.0.0.1',
        port: pg.port,
        user: 'postgres',
        password: PASSWORD,
        via: { ssh: { ...ssh(), privateKey: bastion.clientPrivateKey, hostKey: wrong } },
      },
      ctx,
    );
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouteError);
    expect((error as Error).message).toContain(bastion.hostKeyFingerprint);
    expect((error as Error).message).toContain(`127.0.0.1:${bastion.port}`);
    expect((error as Error).message).not.toContain(PASSWORD);
    expect((error as Error).message).not.toContain(bastion.clientPrivateKey.slice(40, 80));
    await expect.poll(() => bastion.connections).toBe(0);
  });

  it('refuses a host missing from known_hosts', async () => {
    const other = join(dir, 'other_known_hosts');
    writeFileSync(other, `[127.0.0.1]:1 ${bastion.knownHostsLine.split(' ').slice(1).join(' ')}\n`);
    const error = await openRoute(
      {
        description: 'test server',
        host: '127.0.0.1',
        port: pg.port,
        user: 'postgres',
        via: { ssh: { ...ssh(), privateKey: bastion.clientPrivateKey, knownHosts: other } },
      },
      ctx,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouteError);
    expect((error as Error).message).toContain('not listed in');
  });

  it('refuses a host key marked @revoked, even where it is also listed, pinned, or checking is off', async () => {
    const revokedFile = join(dir, 'revoked_known_hosts');
    const [hosts, ...key] = bastion.knownHostsLine.split(' ');
    writeFileSync(revokedFile, `${bastion.knownHostsLine}\n@revoked ${hosts} ${key.join(' ')}\n`);
    for (const extra of [{}, { hostKey: bastion.hostKeyFingerprint }, { strictHostKeyChecking: false }]) {
      const error = await openRoute(
        {
          description: 'test server',
          host: '127.0.0.1',
          port: pg.port,
          user: 'postgres',
          via: { ssh: { ...ssh(), privateKey: bastion.clientPrivateKey, knownHosts: revokedFile, ...extra } },
        },
        ctx,
      ).catch((e: unknown) => e);
      expect(error, JSON.stringify(extra)).toBeInstanceOf(RouteError);
      expect((error as Error).message).toContain(`host key ${bastion.hostKeyFingerprint} is marked @revoked`);
    }
  });

  it('reports a server the jump host cannot reach as a RouteError', async () => {
    const error = await openRoute(
      {
        description: 'closed port',
        host: '127.0.0.1',
        port: 1,
        user: 'postgres',
        via: { ssh: { ...ssh(), privateKey: bastion.clientPrivateKey, hostKey: bastion.hostKeyFingerprint } },
      },
      ctx,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouteError);
    expect((error as Error).message).toMatch(/closed port via SSH .*cannot reach 127\.0\.0\.1:1/);
    await expect.poll(() => bastion.connections).toBe(0);
  });
});

describe('ssh tunnel failure', () => {
  it('forgets a tunnel whose jump host goes away, failing its connections instead of hanging', async () => {
    const own = await startTestBastion();
    const route = await openRoute(
      {
        description: 'test server',
        host: '127.0.0.1',
        port: pg.port,
        user: 'postgres',
        password: PASSWORD,
        via: {
          ssh: {
            host: own.host,
            port: own.port,
            user: own.user,
            privateKey: own.clientPrivateKey,
            hostKey: own.hostKeyFingerprint,
          },
        },
      },
      ctx,
    );
    const client = await openClient(route.connection());
    expect(openTunnelCount()).toBe(1);
    await own.close();
    await expect.poll(() => openTunnelCount()).toBe(0);
    await expect(client.query('select 1')).rejects.toThrow();
    await client.end().catch(() => {});
    await route.close();
  });
});

describe('known_hosts', () => {
  it('matches plain, port-qualified and hashed entries', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pgshift-kh-')), 'known_hosts');
    const blob = Buffer.from('fake-key-blob');
    const b64 = blob.toString('base64');
    // Hashed entry for "bastion.example" made as OpenSSH does: HMAC-SHA1 keyed by the salt.
    const salt = Buffer.from('0123456789abcdef0123');
    const hash = createHmac('sha1', salt).update('bastion.example').digest('base64');
    writeFileSync(
      file,
      [
        `plain.example,other ssh-ed25519 ${b64}`,
        `[ported.example]:2222 ssh-ed25519 ${b64}`,
        `|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${b64}`,
      ].join('\n'),
    );
    expect(knownHostKeys(file, 'plain.example', 22)).toHaveLength(1);
    expect(knownHostKeys(file, 'plain.example', 2222)).toHaveLength(0);
    expect(knownHostKeys(file, 'ported.example', 2222)).toHaveLength(1);
    expect(knownHostKeys(file, 'bastion.example', 22)).toHaveLength(1);
    expect(knownHostKeys(file, 'nobody.example', 22)).toHaveLength(0);
    expect(fingerprint(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('keeps @revoked keys out of the trusted ones and reads @cert-authority lines as no host key', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pgshift-kh-')), 'known_hosts');
    const [good, bad, ca] = ['good-key', 'bad-key', 'ca-key'].map((k) => Buffer.from(k).toString('base64'));
    writeFileSync(
      file,
      [
        `host.example ssh-ed25519 ${good}`,
        `host.example ssh-ed25519 ${bad}`,
        `@revoked host.example ssh-ed25519 ${bad}`,
        `@cert-authority *.example ssh-ed25519 ${ca}`,
      ].join('\n'),
    );
    const known = readKnownHosts(file, 'host.example', 22);
    expect(known.keys.map((k) => k.toString())).toEqual(['good-key', 'bad-key']);
    expect(known.revoked.map((k) => k.toString())).toEqual(['bad-key']);
    expect(knownHostKeys(file, 'host.example', 22).map((k) => k.toString())).toEqual(['good-key']);
    expect(readKnownHosts(file, 'other.example', 22)).toEqual({ keys: [], revoked: [] });
  });
});
