import { defineConnector } from '@pgshift/plugin-api';
import { INVENTORY_CONNECTOR_CAPABILITIES } from '@pgshift/ssh-tunnel';
import { directConnectConnector } from './connector.js';
import { configSchema } from './schema.js';

export default defineConnector({
  name: 'direct-connect',
  version: '0.1.0',
  description: 'PostgreSQL in a data centre linked by a direct-connect gateway.',
  capabilities: INVENTORY_CONNECTOR_CAPABILITIES,
  configSchema,
  connector: (resolver) => directConnectConnector(resolver),
});
