import type { JsonSchema } from '@pgshift/plugin-api';
import { commonProperties, portSchema, secretSchema, stringSchema, viaSchema } from '@pgshift/ssh-tunnel';

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port', 'user', 'password'],
  properties: {
    ...commonProperties('public-ip'),
    host: stringSchema('Public IP address or host name of the server.'),
    port: { ...portSchema, description: 'PostgreSQL port.' },
    user: stringSchema('Account to connect as.'),
    password: secretSchema('Password of the account.'),
    via: viaSchema,
  },
};
