import type { JsonSchema } from '@pgshift/plugin-api';
import {
  commonProperties,
  inventoryRefSchema,
  secretSchema,
  stringSchema,
  viaSchema,
} from '@pgshift/ssh-tunnel';

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['instanceId', 'region', 'user', 'password', 'inventory'],
  properties: {
    ...commonProperties('cloud-instance'),
    instanceId: stringSchema('Managed PostgreSQL instance id, e.g. postgres-abc123.'),
    region: stringSchema('Region of the instance.'),
    user: stringSchema('Account to connect as.'),
    password: secretSchema('Password of the account.'),
    endpoint: {
      enum: ['private', 'public'],
      description: 'Which endpoint to use; absent: the private one if open, else the public one.',
    },
    inventory: inventoryRefSchema,
    via: viaSchema,
  },
};
