import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeConnector } from '@pgshift/conformance';
import { type ConnectorContext, Secret, silentLogger } from '@pgshift/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicIpConnector } from '../src/connector.js';
import plugin from '../src/index.js';

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

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('public-ip TLS settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-public-ip-'));
  const ctx: ConnectorContext = { role: 'source', logger: silentLogger, baseDir: dir, timeoutMs: 2000 };
  let listener: Server;
  let port: number;

  beforeAll(async () => {
    listener = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => listener.listen(0, '127.0.0.1', () => done()));
    port = (listener.address() as { port: number }).port;
    writeFileSync(join(dir, 'ca.pem'), PEM);
    writeFileSync(join(dir, 'client.pem'), 'client certificate');
    writeFileSync(join(dir, 'client.key'), 'client key');
  });
  afterAll(() => new Promise<void>((done) => listener.close(() => done())));

  const config = (tls: Record<string, unknown>) => ({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: new Secret('x'),
    tls,
  });

  it('reads the certificate files relative to the config file and hands the settings to connections', async () => {
    const route = await publicIpConnector.open(
      config({
        sslmode: 'verify-full',
        sslrootcert: 'ca.pem',
        sslcert: 'client.pem',
        sslkey: 'client.key',
        servername: 'db.example.com',
      }) as never,
      ctx,
    );
    expect(route.connection().tls).toEqual({
      sslmode: 'verify-full',
      ca: PEM,
      cert: 'client certificate',
      key: 'client key',
      servername: 'db.example.com',
      origin: 'sslrootcert ca.pem; sslcert client.pem; sslkey client.key',
    });
    expect(route.facts).toMatchObject({ access: 'public-ip', sslmode: 'verify-full' });
    await route.close();
  });

  it('takes sslrootcert: system as the system roots, and no block as no settings (libpq decides)', async () => {
    const system = await publicIpConnector.open(config({ sslrootcert: 'system' }) as never, ctx);
    expect(system.connection().tls).toEqual({ ca: 'system', origin: 'sslrootcert system' });
    await system.close();
    const { tls: _none, ...withoutTls } = config({});
    const plain = await publicIpConnector.open(withoutTls as never, ctx);
    expect(plain.connection().tls).toBeUndefined();
    await plain.close();
  });

  it('names a certificate file it cannot read', async () => {
    await expect(
      publicIpConnector.open(config({ sslmode: 'verify-ca', sslrootcert: 'missing.pem' }) as never, ctx),
    ).rejects.toThrow(/source\.tls\.sslrootcert: cannot read .*missing\.pem/);
  });
});
