import type { JsonSchema } from '@pgshift/plugin-api';
import {
  accountProperties,
  connectorSchema,
  portSchema,
  requiredWhen,
  stringSchema,
} from '@pgshift/ssh-tunnel';

export const configSchema: JsonSchema = connectorSchema('cvm', {
  required: ['region', 'network', 'instanceId', 'port'],
  properties: {
    region: stringSchema('Region of the CVM instance, e.g. ap-guangzhou; must be the target region.'),
    network: { enum: ['basic', 'vpc'], description: 'Network of the instance: basic network or a VPC.' },
    vpcId: stringSchema('VPC of the instance (network: vpc).'),
    subnetId: stringSchema('Subnet of the instance (network: vpc).'),
    instanceId: stringSchema('CVM instance id, e.g. ins-abc123.'),
    port: { ...portSchema, description: 'PostgreSQL port on the instance.' },
    ...accountProperties,
  },
  inventory: true,
  allOf: [requiredWhen('network', 'vpc', ['vpcId', 'subnetId'])],
});
