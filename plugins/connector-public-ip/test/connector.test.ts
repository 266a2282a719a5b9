import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeConnector } from '@pgshift/conformance';
import { type ConnectorContext, Secret, silentLogger } from '@pgshift/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin, { publicIpConnector } from '../src/index.js';

describeConnector(
  { plugin },
  {
    validConfig: ({ server }) => ({
      access: 'public-ip',
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      database: 'postgres',
      tls: { sslmode: 'disable' },
    }),
    unreachableConfig: ({ server, closedPort }) => ({
      access: 'public-ip',
      host: server.host,
      port: closedPort,
      user: server.user,
      password: server.password,
    }),
  },
);

describe('public-ip TLS settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-public-ip-'));
  const ctx: ConnectorContext = { role: 'source', logger: silentLogger, baseDir: dir, timeoutMs: 2000 };
  let listener: Server;
  let port: number;

  beforeAll(async () => {
    listener = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => listener.listen(0, '127.0.0.1', () => done()));
    port = (listener.address() as { port: number }).port;
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  });
  afterAll(() => new Promise<void>((done) => listener.close(() => done())));

  const config = (tls: Record<string, unknown>) => ({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: new Secret('x'),
    tls,
  });

  it('reads the CA file relative to the config file and hands the settings to connections', async () => {
    const route = await publicIpConnector.open(
      config({ sslmode: 'verify-full', caFile: 'ca.pem', servername: 'db.example.com' }) as never,
      ctx,
    );
    expect(route.connection().tls).toEqual({
      sslmode: 'verify-full',
      ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      servername: 'db.example.com',
    });
    expect(route.facts).toMatchObject({ access: 'public-ip', sslmode: 'verify-full' });
    await route.close();
  });

  it('names a CA file it cannot read', async () => {
    await expect(
      publicIpConnector.open(config({ sslmode: 'verify-ca', caFile: 'missing.pem' }) as never, ctx),
    ).rejects.toThrow(/source\.tls\.caFile: cannot read .*missing\.pem/);
  });
});
