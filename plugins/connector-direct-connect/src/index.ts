import { Capability, CONNECTOR, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { directConnectConnector } from './connector.js';
import { configSchema } from './schema.js';

export { type DirectConnectConfig, directConnectConnector } from './connector.js';
export { type DirectConnectTarget, resolveDirectConnect } from './resolve.js';
export { configSchema } from './schema.js';

export default definePlugin({
  meta: {
    name: 'direct-connect',
    version: '0.1.0',
    kind: 'connector',
    apiVersion: PLUGIN_API_VERSION,
    description: 'PostgreSQL in a data centre linked by a direct-connect gateway.',
  },
  capabilities: [
    Capability.connector.normal,
    Capability.connector.replication,
    Capability.connector.sshTunnel,
    Capability.connector.inventory,
  ],
  configSchema,
  register(r) {
    // The kernel hands over the block after validating it against configSchema.
    r.value(CONNECTOR, directConnectConnector(r));
  },
});
