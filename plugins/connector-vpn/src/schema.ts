import type { JsonSchema } from '@pgshift/plugin-api';
import {
  accountProperties,
  connectorSchema,
  portSchema,
  requiredWhen,
  stringSchema,
} from '@pgshift/ssh-tunnel';

export const configSchema: JsonSchema = connectorSchema('vpn', {
  required: ['region', 'vpnType', 'vpcId', 'host', 'port'],
  properties: {
    region: stringSchema('Region of the VPN service; must be the target region.'),
    vpnType: { enum: ['cloud', 'self-built'], description: 'Cloud VPN gateway, or a VPN built on a CVM.' },
    vpnGatewayId: stringSchema('VPN gateway id (vpnType: cloud), e.g. vpngw-abc123.'),
    vpcId: stringSchema('VPC the VPN service belongs to.'),
    host: stringSchema('Address of the server in the data centre.'),
    port: { ...portSchema, description: 'PostgreSQL port.' },
    ...accountProperties,
  },
  inventory: true,
  allOf: [requiredWhen('vpnType', 'cloud', ['vpnGatewayId'])],
});
