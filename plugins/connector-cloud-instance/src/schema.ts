import type { JsonSchema } from '@pgshift/plugin-api';
import { accountProperties, connectorSchema, stringSchema } from '@pgshift/ssh-tunnel';

export const configSchema: JsonSchema = connectorSchema('cloud-instance', {
  required: ['instanceId', 'region'],
  properties: {
    instanceId: stringSchema('Managed PostgreSQL instance id, e.g. postgres-abc123.'),
    region: stringSchema('Region of the instance.'),
    ...accountProperties,
    endpoint: {
      enum: ['private', 'public'],
      description: 'Which endpoint to use; absent: the private one if open, else the public one.',
    },
  },
  inventory: true,
});
