import { Capability, definePlugin, INVENTORY, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { tencentCloudInventoryProvider } from './tencentcloud-inventory.js';

const secret = {
  'x-secret': true,
  anyOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      properties: { env: { type: 'string' } },
      required: ['env'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { file: { type: 'string' } },
      required: ['file'],
      additionalProperties: false,
    },
  ],
};

export default definePlugin({
  meta: {
    name: 'tencentcloud',
    version: '0.1.0',
    kind: 'inventory',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Tencent Cloud resources read through the signed cloud API.',
  },
  capabilities: [Capability.inventory.resolve],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['secretId', 'secretKey'],
    properties: {
      secretId: secret,
      secretKey: secret,
      token: secret,
      endpoint: { type: 'string', description: 'API URL; {service} stands for cvm, postgres or vpc.' },
      region: { type: 'string', description: 'Region for lookups whose block names none.' },
    },
  },
  register(r) {
    r.value(INVENTORY, tencentCloudInventoryProvider);
  },
});
