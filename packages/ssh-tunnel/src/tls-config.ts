import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type JsonSchema, stringSchema, type TlsSettings } from '@pgshift/plugin-api';

/** The `tls` block every connector takes, in libpq's words; files are relative to the config file. */
export interface TlsConfig {
  sslmode?: NonNullable<TlsSettings['sslmode']>;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  servername?: string;
}

export const tlsSchema: JsonSchema = {
  type: 'object',
  description:
    "TLS, as libpq: sslmode (prefer when absent, or PGSSLMODE), the certificate authority and a client certificate. What the block leaves out comes from libpq's environment variables.",
  additionalProperties: false,
  properties: {
    sslmode: {
      enum: ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'],
      description:
        'As libpq: prefer encrypts whenever the server offers TLS; verify-full also checks the host name.',
    },
    sslrootcert: stringSchema(
      'PEM file of the certificate authorities to trust, relative to the config file, or `system` for the system roots.',
    ),
    sslcert: stringSchema('PEM file of the client certificate, relative to the config file.'),
    sslkey: stringSchema('PEM file of the client certificate key, relative to the config file.'),
    servername: stringSchema('Name to check the certificate against, when it differs from host.'),
  },
};

/** The block as route settings: files read (an unreadable one is a config error at its path). */
export function tlsSettings(
  config: TlsConfig | undefined,
  baseDir: string,
  path: string,
): TlsSettings | undefined {
  if (!config) return undefined;
  const settings: TlsSettings = {};
  const origins: string[] = [];
  if (config.sslmode) settings.sslmode = config.sslmode;
  const read = (field: 'sslrootcert' | 'sslcert' | 'sslkey') => {
    const name = config[field];
    if (name === undefined) return undefined;
    origins.push(`${field} ${name}`);
    if (field === 'sslrootcert' && name === 'system') return 'system';
    const file = resolve(baseDir, name);
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError([{ path: `${path}.${field}`, message: `cannot read ${file}` }]);
    }
  };
  const ca = read('sslrootcert');
  const cert = read('sslcert');
  const key = read('sslkey');
  if (ca !== undefined) settings.ca = ca;
  if (cert !== undefined) settings.cert = cert;
  if (key !== undefined) settings.key = key;
  if (config.servername) settings.servername = config.servername;
  if (origins.length > 0) settings.origin = origins.join('; ');
  return settings;
}
