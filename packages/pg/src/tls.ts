import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { PgshiftError, type TlsSettings } from '@pgshift/plugin-api';

export type SslMode = NonNullable<TlsSettings['sslmode']>;

/** TLS settings as a connection uses them, after the environment and libpq's defaults. */
export interface EffectiveTls {
  sslmode: SslMode;
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  /** Where each setting came from, in words: `sslmode prefer (default); sslrootcert from PGSSLROOTCERT=/etc/ca.pem`. */
  described: string;
}

const MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Whether a connection in this mode checks the server's certificate chain. */
function verifies(mode: SslMode): boolean {
  return mode === 'verify-ca' || mode === 'verify-full';
}

/**
 * The settings a connection uses, as libpq decides them: what the config gives wins; what it
 * leaves out comes from PGSSLMODE, PGSSLROOTCERT, PGSSLCERT and PGSSLKEY, then from the files
 * libpq looks for in ~/.postgresql (root.crt, postgresql.crt, postgresql.key), then `prefer`.
 */
export function effectiveTls(
  given: TlsSettings | undefined,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): EffectiveTls {
  const told: string[] = [];
  let sslmode: SslMode;
  if (given?.sslmode) {
    sslmode = given.sslmode;
    told.push(`sslmode ${sslmode}`);
  } else if (env.PGSSLMODE) {
    if (!MODES.includes(env.PGSSLMODE as SslMode))
      throw new PgshiftError(
        'PGSHIFT_TLS',
        `PGSSLMODE=${env.PGSSLMODE} in the environment is not an sslmode`,
        {
          remedy: `set PGSSLMODE to one of ${MODES.join(', ')}, or unset it`,
        },
      );
    sslmode = env.PGSSLMODE as SslMode;
    told.push(`sslmode ${sslmode} from PGSSLMODE`);
  } else {
    sslmode = 'prefer';
    told.push('sslmode prefer (default)');
  }
  if (given?.origin) told.push(given.origin);
  const out: EffectiveTls = { sslmode, described: '' };
  if (sslmode !== 'disable') {
    const pick = (field: 'ca' | 'cert' | 'key', variable: string, libpqName: string, fallback: string) => {
      if (given?.[field] !== undefined) return given[field];
      const named = env[variable];
      if (named) {
        told.push(`${libpqName} from ${variable}=${named}`);
        return named === 'system' && field === 'ca' ? 'system' : readPem(resolve(named), variable);
      }
      const file = join(home, '.postgresql', fallback);
      if (!existsSync(file)) return undefined;
      told.push(`${libpqName} ${file}`);
      return readPem(file, libpqName);
    };
    const ca = pick('ca', 'PGSSLROOTCERT', 'sslrootcert', 'root.crt');
    const cert = pick('cert', 'PGSSLCERT', 'sslcert', 'postgresql.crt');
    const key = cert === undefined ? undefined : pick('key', 'PGSSLKEY', 'sslkey', 'postgresql.key');
    if (ca !== undefined) out.ca = ca;
    if (cert !== undefined) out.cert = cert;
    if (key !== undefined) out.key = key;
    if (given?.servername) out.servername = given.servername;
  }
  out.described = told.join('; ');
  return out;
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new PgshiftError('PGSHIFT_TLS', `cannot read ${file} (${what})`, {
      cause: error,
      remedy: `check that ${file} exists and is readable, or unset ${what}`,
    });
  }
}

/** node's TLS options for one attempt; false for a plaintext one. */
export type TlsAttempt = ConnectionOptions | false;

/**
 * The connection attempts of a mode, in libpq's order: `allow` tries plaintext first and TLS if
 * the server refuses it; `prefer` the other way round; the others make one attempt. Only
 * `verify-ca` and `verify-full` (and `require` given a root certificate) check the certificate;
 * only `verify-full` checks the host name.
 */
export function tlsAttempts(tls: EffectiveTls, host: string): TlsAttempt[] {
  const client = {
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
  };
  const loose: ConnectionOptions = { rejectUnauthorized: false, ...client };
  const trusted = tls.ca === undefined || tls.ca === 'system' ? {} : { ca: tls.ca };
  const chain: ConnectionOptions = {
    rejectUnauthorized: true,
    ...trusted,
    ...client,
    // The chain, not the name: verify-ca (and require with a root certificate), as libpq.
    checkServerIdentity: () => undefined,
  };
  const full: ConnectionOptions = {
    rejectUnauthorized: true,
    ...trusted,
    ...client,
    servername: tls.servername ?? host,
  };
  switch (tls.sslmode) {
    case 'disable':
      return [false];
    case 'allow':
      return [false, loose];
    case 'prefer':
      return [loose, false];
    case 'require':
      return [tls.ca === undefined ? loose : chain];
    case 'verify-ca':
      return [chain];
    case 'verify-full':
      return [full];
  }
}

/**
 * Whether the next attempt of the mode may follow this failure: the server offers no TLS
 * (`prefer`), or it turned the connection away for its encryption (pg_hba `hostssl` /
 * `hostnossl`, SQLSTATE class 28), as libpq retries.
 */
export function fallsBack(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return offersNoTls(error) || (typeof code === 'string' && code.startsWith('28'));
}

/** node-postgres's error when the server answers an SSLRequest with "no". */
export function offersNoTls(error: unknown): boolean {
  return /does not support SSL/i.test(String((error as { message?: unknown })?.message));
}

/** Refuses verify-ca and verify-full without a root certificate before connecting, as libpq does. */
export function requireRootCertificate(tls: EffectiveTls, address: string): void {
  if (!verifies(tls.sslmode) || tls.ca !== undefined) return;
  throw new PgshiftError(
    'PGSHIFT_TLS',
    `${address}: sslmode ${tls.sslmode} needs a root certificate to verify the server against, and none is given`,
    {
      remedy:
        'set tls.sslrootcert to the PEM file of the certificate authority (or PGSSLROOTCERT, or ~/.postgresql/root.crt), ' +
        'or tls.sslrootcert: system to trust the system roots',
    },
  );
}

/** A TLS failure in words a user can act on, or undefined when the error is not about TLS. */
export function tlsFailure(error: unknown, tls: EffectiveTls, address: string): PgshiftError | undefined {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (offersNoTls(error))
    return new PgshiftError(
      'PGSHIFT_TLS',
      `${address}: the server offers no TLS, and sslmode ${tls.sslmode} requires it`,
      {
        cause: error,
        remedy:
          'turn ssl on in the server (ssl = on, with a certificate), or set tls.sslmode: prefer to accept a plaintext connection',
      },
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return new PgshiftError(
      'PGSHIFT_TLS',
      `${address}: the server's certificate is not for ${tls.servername ?? address.replace(/:\d+$/, '')} (${text})`,
      {
        cause: error,
        remedy:
          'connect by a name the certificate holds, or set tls.servername to it; sslmode verify-ca checks the chain without the name',
      },
    );
  if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code))
    return new PgshiftError(
      'PGSHIFT_TLS',
      `${address}: the server's certificate cannot be trusted (${code}: ${text})`,
      {
        cause: error,
        remedy: "set tls.sslrootcert to the certificate authority that signed the server's certificate",
      },
    );
  return undefined;
}
