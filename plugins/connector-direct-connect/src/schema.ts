import type { JsonSchema } from '@pgshift/plugin-api';
import {
  commonProperties,
  inventoryRefSchema,
  portSchema,
  secretSchema,
  stringSchema,
  viaSchema,
} from '@pgshift/ssh-tunnel';

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['dcGatewayId', 'vpcId', 'host', 'port', 'user', 'password', 'inventory'],
  properties: {
    ...commonProperties('direct-connect'),
    dcGatewayId: stringSchema('Direct-connect gateway the data centre is linked by, e.g. dcg-abc123.'),
    vpcId: stringSchema('VPC the direct-connect gateway belongs to.'),
    region: stringSchema('Region of the gateway; needed by cloud inventories (or set inventory.region).'),
    host: stringSchema('Address of the server inside the data centre.'),
    port: { ...portSchema, description: 'PostgreSQL port.' },
    user: stringSchema('Account to connect as.'),
    password: secretSchema('Password of the account.'),
    inventory: inventoryRefSchema,
    via: viaSchema,
  },
};
