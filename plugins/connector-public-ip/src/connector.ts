import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type Connector, type TlsSettings } from '@pgshift/plugin-api';
import { endpointFields, openRoute, type SecretValue, type SshJumpConfig } from '@pgshift/ssh-tunnel';

export interface PublicIpConfig {
  host: string;
  port: number;
  user: string;
  password: SecretValue;
  database?: string;
  tls?: { sslmode: TlsSettings['sslmode']; caFile?: string; servername?: string };
  via?: { ssh?: SshJumpConfig };
}

/** A server reached at the address the config gives, directly or through an SSH jump host. */
export const publicIpConnector: Connector<PublicIpConfig> = {
  access: 'public-ip',
  async open(config, ctx) {
    let tls: TlsSettings | undefined;
    if (config.tls) {
      tls = { sslmode: config.tls.sslmode };
      if (config.tls.servername) tls.servername = config.tls.servername;
      if (config.tls.caFile) {
        const file = resolve(ctx.baseDir, config.tls.caFile);
        try {
          tls.ca = readFileSync(file, 'utf8');
        } catch {
          throw new ConfigError([{ path: `${ctx.role}.tls.caFile`, message: `cannot read ${file}` }]);
        }
      }
    }
    return openRoute(
      {
        description: `public-ip ${config.host}:${config.port}`,
        host: config.host,
        port: config.port,
        ...endpointFields(config),
        ...(tls ? { tls } : {}),
        facts: { access: 'public-ip', ...(tls ? { sslmode: tls.sslmode } : {}) },
      },
      ctx,
    );
  },
};
