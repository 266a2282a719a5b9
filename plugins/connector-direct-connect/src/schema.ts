import type { JsonSchema } from '@pgshift/plugin-api';
import { accountProperties, connectorSchema, portSchema, stringSchema } from '@pgshift/ssh-tunnel';

export const configSchema: JsonSchema = connectorSchema('direct-connect', {
  required: ['dcGatewayId', 'vpcId', 'host', 'port'],
  properties: {
    dcGatewayId: stringSchema('Direct-connect gateway the data centre is linked by, e.g. dcg-abc123.'),
    vpcId: stringSchema('VPC the direct-connect gateway belongs to.'),
    region: stringSchema('Region of the gateway; needed by cloud inventories (or set inventory.region).'),
    host: stringSchema('Address of the server inside the data centre.'),
    port: { ...portSchema, description: 'PostgreSQL port.' },
    ...accountProperties,
  },
  inventory: true,
});
