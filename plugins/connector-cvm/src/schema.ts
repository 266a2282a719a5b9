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
  required: ['region', 'network', 'instanceId', 'port', 'user', 'password', 'inventory'],
  properties: {
    ...commonProperties('cvm'),
    region: stringSchema('Region of the CVM instance, e.g. ap-guangzhou; must be the target region.'),
    network: { enum: ['basic', 'vpc'], description: 'Network of the instance: basic network or a VPC.' },
    vpcId: stringSchema('VPC of the instance (network: vpc).'),
    subnetId: stringSchema('Subnet of the instance (network: vpc).'),
    instanceId: stringSchema('CVM instance id, e.g. ins-abc123.'),
    port: { ...portSchema, description: 'PostgreSQL port on the instance.' },
    user: stringSchema('Account to connect as.'),
    password: secretSchema('Password of the account.'),
    inventory: inventoryRefSchema,
    via: viaSchema,
  },
  allOf: [requiredWhen('network', 'vpc', ['vpcId', 'subnetId'])],
};
