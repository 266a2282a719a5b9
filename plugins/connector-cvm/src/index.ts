import { Capability, CONNECTOR, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { cvmConnector } from './connector.js';
import { configSchema } from './schema.js';

export { type CvmConfig, cvmConnector } from './connector.js';
export { type CvmTarget, resolveCvm } from './resolve.js';
export { configSchema } from './schema.js';

export default definePlugin({
  meta: {
    name: 'cvm',
    version: '0.1.0',
    kind: 'connector',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Self-built PostgreSQL on a CVM instance (basic network or VPC).',
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
    r.value(CONNECTOR, cvmConnector(r));
  },
});
