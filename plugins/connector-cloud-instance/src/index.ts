import { defineConnector } from '@pgshift/plugin-api';
import { INVENTORY_CONNECTOR_CAPABILITIES } from '@pgshift/ssh-tunnel';
import { cloudInstanceConnector } from './connector.js';
import { configSchema } from './schema.js';

export default defineConnector({
  name: 'cloud-instance',
  version: '0.1.0',
  description: 'A managed cloud PostgreSQL instance (TencentDB for PostgreSQL).',
  capabilities: INVENTORY_CONNECTOR_CAPABILITIES,
  configSchema,
  connector: (resolver) => cloudInstanceConnector(resolver),
});
