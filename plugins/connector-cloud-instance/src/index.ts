import { Capability, CONNECTOR, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { cloudInstanceConnector } from './connector.js';
import { configSchema } from './schema.js';

export { type CloudInstanceConfig, cloudInstanceConnector } from './connector.js';
export { type CloudInstanceTarget, resolveCloudInstance } from './resolve.js';
export { configSchema } from './schema.js';

export default definePlugin({
  meta: {
    name: 'cloud-instance',
    version: '0.1.0',
    kind: 'connector',
    apiVersion: PLUGIN_API_VERSION,
    description: 'A managed cloud PostgreSQL instance (TencentDB for PostgreSQL).',
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
    r.value(CONNECTOR, cloudInstanceConnector(r));
  },
});
