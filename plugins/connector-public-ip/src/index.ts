import { Capability, CONNECTOR, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { publicIpConnector } from './connector.js';
import { configSchema } from './schema.js';

export { type PublicIpConfig, publicIpConnector } from './connector.js';
export { configSchema } from './schema.js';

export default definePlugin({
  meta: {
    name: 'public-ip',
    version: '0.1.0',
    kind: 'connector',
    apiVersion: PLUGIN_API_VERSION,
    description: 'PostgreSQL reached by a public address (TLS, optional SSH jump host).',
  },
  capabilities: [
    Capability.connector.normal,
    Capability.connector.replication,
    Capability.connector.tls,
    Capability.connector.sshTunnel,
  ],
  configSchema,
  register(r) {
    // The kernel hands over the block after validating it against configSchema.
    r.value(CONNECTOR, publicIpConnector);
  },
});
