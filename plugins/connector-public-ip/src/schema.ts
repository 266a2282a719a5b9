import type { JsonSchema } from '@pgshift/plugin-api';
import { accountProperties, connectorSchema, portSchema, stringSchema } from '@pgshift/ssh-tunnel';

export const configSchema: JsonSchema = connectorSchema('public-ip', {
  required: ['host', 'port'],
  properties: {
    host: stringSchema('Public IP address or host name of the server.'),
    port: { ...portSchema, description: 'PostgreSQL port.' },
    ...accountProperties,
  },
});
