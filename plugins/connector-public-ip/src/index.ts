import { defineConnector } from '@pgshift/plugin-api';
import { ROUTE_CAPABILITIES } from '@pgshift/ssh-tunnel';
import { publicIpConnector } from './connector.js';
import { configSchema } from './schema.js';

export default defineConnector({
  name: 'public-ip',
  version: '0.1.0',
  description: 'PostgreSQL reached by a public address (TLS, optional SSH jump host).',
  capabilities: ROUTE_CAPABILITIES,
  configSchema,
  connector: () => publicIpConnector,
});
