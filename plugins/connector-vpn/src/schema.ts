import type { JsonSchema } from '@pgshift/plugin-api';
import {
  commonProperties,
  inventoryRefSchema,
  portSchema,
  requiredWhen,
  secretSchema,
  stringSchema,
  viaSchema,
} from '@pgshift/ssh-tunnel';

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['region', 'vpnType', 'vpcId', 'host', 'port', 'user', 'password', 'inventory'],
  properties: {
    ...commonProperties('vpn'),
    region: stringSchema('Region of the VPN service; must be the target region.'),
    vpnType: { enum: ['cloud', 'self-built'], description: 'Cloud VPN gateway, or a VPN built on a CVM.' },
    vpnGatewayId: stringSchema('VPN gateway id (vpnType: cloud), e.g. vpngw-abc123.'),
    vpcId: stringSchema('VPC the VPN service belongs to.'),
    host: stringSchema('Address of the server in the data centre.'),
    port: { ...portSchema, description: 'PostgreSQL port.' },
    user: stringSchema('Account to connect as.'),
    password: secretSchema('Password of the account.'),
    inventory: inventoryRefSchema,
    via: viaSchema,
  },
  allOf: [requiredWhen('vpnType', 'cloud', ['vpnGatewayId'])],
};
