import { networkInterfaces } from 'node:os';
import type { ConnectionParams, TlsSettings } from '@pgshift/plugin-api';
import {
  makeTestCertificates,
  type SandboxServer,
  startPostgres,
  type TestCertificates,
} from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServerHandle,
  directRoute,
  effectiveTls,
  openClient,
  probeConnectivity,
} from '../src/index.js';

/** Whether the session's connection is encrypted, as the server sees it. */
async function encrypted(params: ConnectionParams): Promise<boolean> {
  const client = await openClient(params);
  try {
    const { rows } = await client.query<{ ssl: boolean }>(
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    return rows[0]?.ssl === true;
  } finally {
    await client.end();
  }
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; remedy?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; remedy?: string };
  }
  throw new Error('expected a failure');
}

describe('TLS as libpq negotiates it', () => {
  let certs: TestCertificates;
  let withTls: SandboxServer;
  let plaintextOnly: SandboxServer;
  let tlsOnly: SandboxServer;
  let clientCerts: SandboxServer;
  let onNetwork: SandboxServer | undefined;
  const params = (server: SandboxServer, tls?: TlsSettings): ConnectionParams => ({
    ...server.connection(),
    ...(tls ? { tls } : {}),
  });

  beforeAll(async () => {
    certs = makeTestCertificates(['db.example.test'], 'certuser');
    [withTls, plaintextOnly, tlsOnly, clientCerts] = await Promise.all([
      startPostgres({ major: 17, tls: certs.server }),
      startPostgres({ major: 17 }),
      // Plaintext connections are refused: only `hostssl` lines.
      startPostgres({
        major: 17,
        tls: certs.server,
        hba: ['local all all trust', 'hostssl all all 127.0.0.1/32 trust'],
      }),
      // certuser logs in only with a client certificate signed by the CA.
      startPostgres({
        major: 17,
        tls: { ...certs.server, ca: certs.ca },
        hba: ['hostssl all postgres 127.0.0.1/32 trust', 'hostssl all certuser 127.0.0.1/32 cert'],
      }),
    ]);
    await clientCerts.query('CREATE ROLE certuser LOGIN');
    if (networkAddress)
      onNetwork = await startPostgres({
        major: 17,
        settings: { listen_addresses: `127.0.0.1,${networkAddress}` },
        hba: ['host all all 127.0.0.1/32 trust', `host all all ${networkAddress}/32 trust`],
      });
  });
  afterAll(() =>
    Promise.all([withTls, plaintextOnly, tlsOnly, clientCerts, onNetwork].map((s) => s?.stop())),
  );

  it('by default (prefer) encrypts whenever the server offers TLS, and falls back to plaintext when not', async () => {
    expect(await encrypted(params(withTls))).toBe(true);
    expect(await encrypted(params(plaintextOnly))).toBe(false);
  });

  it('allow tries plaintext first and encrypts when the server refuses plaintext; disable never encrypts', async () => {
    expect(await encrypted(params(withTls, { sslmode: 'allow' }))).toBe(false);
    expect(await encrypted(params(tlsOnly, { sslmode: 'allow' }))).toBe(true);
    expect(await encrypted(params(withTls, { sslmode: 'disable' }))).toBe(false);
    const refused = await failure(openClient(params(tlsOnly, { sslmode: 'disable' })));
    expect(refused.message).toMatch(/no encryption/);
  });

  it('require fails on a server without TLS, with the remedy', async () => {
    const error = await failure(openClient(params(plaintextOnly, { sslmode: 'require' })));
    expect(error.code).toBe('PGSHIFT_TLS');
    expect(error.message).toContain(`127.0.0.1:${plaintextOnly.port}: the server offers no TLS`);
    expect(error.remedy).toMatch(/ssl = on/);
    // No verification without a root certificate, as libpq.
    expect(await encrypted(params(withTls, { sslmode: 'require' }))).toBe(true);
  });

  it('verify-full checks the host name: a wrong one fails clearly, the right one through servername works', async () => {
    const wrongName = await failure(openClient(params(withTls, { sslmode: 'verify-full', ca: certs.ca })));
    expect(wrongName.code).toBe('PGSHIFT_TLS');
    expect(wrongName.message).toContain("the server's certificate is not for 127.0.0.1");
    expect(wrongName.remedy).toMatch(/servername/);
    expect(
      await encrypted(
        params(withTls, { sslmode: 'verify-full', ca: certs.ca, servername: 'db.example.test' }),
      ),
    ).toBe(true);
    // verify-ca checks the chain only.
    expect(await encrypted(params(withTls, { sslmode: 'verify-ca', ca: certs.ca }))).toBe(true);
  });

  it('verify-ca refuses a certificate another authority signed, and needs a root certificate at all', async () => {
    const other = makeTestCertificates(['db.example.test']);
    const untrusted = await failure(openClient(params(withTls, { sslmode: 'verify-ca', ca: other.ca })));
    expect(untrusted.code).toBe('PGSHIFT_TLS');
    expect(untrusted.message).toMatch(/certificate cannot be trusted/);
    // require with a root certificate verifies the chain, as libpq does.
    const requireChecked = await failure(openClient(params(withTls, { sslmode: 'require', ca: other.ca })));
    expect(requireChecked.code).toBe('PGSHIFT_TLS');
    const none = await failure(openClient(params(withTls, { sslmode: 'verify-full' })));
    expect(none.message).toMatch(/needs a root certificate/);
    expect(none.remedy).toMatch(/sslrootcert/);
  });

  it('logs in with a client certificate where pg_hba asks for one', async () => {
    const certUser = (tls: TlsSettings) => ({ ...params(clientCerts, tls), user: 'certuser' });
    const without = await failure(openClient(certUser({ sslmode: 'require' })));
    expect(without.message).toMatch(/certificate/i);
    expect(
      await encrypted(
        certUser({ sslmode: 'verify-ca', ca: certs.ca, cert: certs.client.cert, key: certs.client.key }),
      ),
    ).toBe(true);
  });

  it('reads what the config leaves out from the environment variables libpq reads, and says so', () => {
    const env = { PGSSLMODE: 'verify-ca', PGSSLROOTCERT: '/nonexistent/ca.pem' };
    expect(() => effectiveTls(undefined, env, '/nonexistent')).toThrow(/cannot read \/nonexistent\/ca\.pem/);
    const fromEnv = effectiveTls(undefined, { PGSSLMODE: 'disable' }, '/nonexistent');
    expect(fromEnv.sslmode).toBe('disable');
    expect(fromEnv.described).toBe('sslmode disable from PGSSLMODE');
    // The config wins over the environment.
    expect(effectiveTls({ sslmode: 'require' }, { PGSSLMODE: 'disable' }, '/nonexistent').sslmode).toBe(
      'require',
    );
    expect(effectiveTls(undefined, {}, '/nonexistent').described).toBe('sslmode prefer (default)');
    expect(() => effectiveTls(undefined, { PGSSLMODE: 'on' }, '/nonexistent')).toThrow(/PGSSLMODE=on/);
  });

  it('check says how each connection is protected; plaintext on loopback passes', async () => {
    const checker = { id: 'source.connectivity', title: 'Connection to the source' };
    const handle = (server: SandboxServer, host = server.host, tls?: TlsSettings) =>
      createServerHandle('source', directRoute({ ...server.connection(), host, ...(tls ? { tls } : {}) }));
    const secure = await probeConnectivity(checker, handle(withTls));
    expect(secure.status).toBe('pass');
    expect(secure.message).toMatch(/encrypted with TLSv1\.[23] \(sslmode prefer \(default\)\)/);
    // On loopback nothing crosses a network: plaintext passes, and says so.
    const local = await probeConnectivity(checker, handle(plaintextOnly));
    expect(local.status).toBe('pass');
    expect(local.message).toContain('the connection is not encrypted (sslmode prefer (default))');
  });

  it.skipIf(!networkAddress)(
    'check warns about plaintext across a network unless chosen (needs a non-loopback IPv4 address)',
    async () => {
      const checker = { id: 'source.connectivity', title: 'Connection to the source' };
      const server = onNetwork as SandboxServer;
      const handle = (tls?: TlsSettings) =>
        createServerHandle(
          'source',
          directRoute({ ...server.connection(), host: networkAddress as string, ...(tls ? { tls } : {}) }),
        );
      const remote = await probeConnectivity(checker, handle());
      expect(remote.status).toBe('warning');
      expect(remote.message).toContain('cross the network in the clear');
      expect(remote.remedy).toMatch(/ssl = on.*verify-full/);
      // Chosen knowingly: no warning.
      const chosen = await probeConnectivity(checker, handle({ sslmode: 'disable' }));
      expect(chosen.status).toBe('pass');
    },
  );
});

/** An address of this machine outside loopback, for a server reached across a (virtual) network. */
const networkAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
