import { defineConnector } from '@pgshift/plugin-api';
import { INVENTORY_CONNECTOR_CAPABILITIES } from '@pgshift/ssh-tunnel';
import { cvmConnector } from './connector.js';
import { configSchema } from './schema.js';

export default defineConnector({
  name: 'cvm',
  version: '0.1.0',
  description: 'Self-built PostgreSQL on a CVM instance (basic network or VPC).',
  capabilities: INVENTORY_CONNECTOR_CAPABILITIES,
  configSchema,
  connector: (resolver) => cvmConnector(resolver),
});
