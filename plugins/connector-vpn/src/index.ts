import { Capability, CONNECTOR, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { vpnConnector } from './connector.js';
import { configSchema } from './schema.js';

export { type VpnConfig, vpnConnector } from './connector.js';
export { resolveVpn, type VpnTarget } from './resolve.js';
export { configSchema } from './schema.js';

export default definePlugin({
  meta: {
    name: 'vpn',
    version: '0.1.0',
    kind: 'connector',
    apiVersion: PLUGIN_API_VERSION,
    description: 'PostgreSQL in a data centre reached through a cloud or self-built VPN.',
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
    r.value(CONNECTOR, vpnConnector(r));
  },
});
