import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificatePair {
  cert: string;
  key: string;
}

/** A certificate authority with a server certificate and a client certificate it signed (PEM). */
export interface TestCertificates {
  ca: string;
  server: CertificatePair;
  /** For pg_hba's `cert` method: its common name is the user it logs in as. */
  client: CertificatePair;
}

/**
 * Makes a throwaway certificate authority, a server certificate for `serverNames` (DNS names or IP
 * addresses) and a client certificate for `clientUser`, with the openssl command line. For tests
 * of TLS against sandbox servers; nothing here is fit for production.
 */
export function makeTestCertificates(serverNames: string[], clientUser = 'postgres'): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-certs-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  try {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=pgshift test CA',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    );
    const san = serverNames
      .map((name) => (/^[\d.]+$/.test(name) || name.includes(':') ? `IP:${name}` : `DNS:${name}`))
      .join(',');
    writeFileSync(join(dir, 'server.ext'), `subjectAltName=${san}\n`);
    const sign = (name: string, subject: string, extensions?: string) => {
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        subject,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
      );
      openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '2',
        '-out',
        `${name}.crt`,
        ...(extensions ? ['-extfile', extensions] : []),
      );
      return { cert: read(`${name}.crt`), key: read(`${name}.key`) };
    };
    const server = sign('server', `/CN=${serverNames[0] ?? 'localhost'}`, 'server.ext');
    const client = sign('client', `/CN=${clientUser}`);
    return { ca: read('ca.crt'), server, client };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
