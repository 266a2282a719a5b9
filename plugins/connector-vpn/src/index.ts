import { defineConnector } from '@pgshift/plugin-api';
import { INVENTORY_CONNECTOR_CAPABILITIES } from '@pgshift/ssh-tunnel';
import { vpnConnector } from './connector.js';
import { configSchema } from './schema.js';

export default defineConnector({
  name: 'vpn',
  version: '0.1.0',
  description: 'PostgreSQL in a data centre reached through a cloud or self-built VPN.',
  capabilities: INVENTORY_CONNECTOR_CAPABILITIES,
  configSchema,
  connector: (resolver) => vpnConnector(resolver),
});
