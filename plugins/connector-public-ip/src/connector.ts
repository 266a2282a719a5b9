import type { Connector } from '@pgshift/plugin-api';
import {
  endpointFields,
  openRoute,
  type SecretValue,
  type SshJumpConfig,
  type TlsConfig,
} from '@pgshift/ssh-tunnel';

export interface PublicIpConfig {
  host: string;
  port: number;
  user: string;
  password: SecretValue;
  database?: string;
  tls?: TlsConfig;
  via?: { ssh?: SshJumpConfig };
}

/** A server reached at the address the config gives, directly or through an SSH jump host. */
export const publicIpConnector: Connector<PublicIpConfig> = {
  access: 'public-ip',
  async open(config, ctx) {
    return openRoute(
      {
        description: `public-ip ${config.host}:${config.port}`,
        host: config.host,
        port: config.port,
        ...endpointFields(config),
        facts: { access: 'public-ip', ...(config.tls?.sslmode ? { sslmode: config.tls.sslmode } : {}) },
      },
      ctx,
    );
  },
};
