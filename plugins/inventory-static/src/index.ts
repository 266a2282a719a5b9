import { Capability, definePlugin, INVENTORY, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { staticInventoryProvider } from './static-inventory.js';

export default definePlugin({
  meta: {
    name: 'static',
    version: '0.1.0',
    kind: 'inventory',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Cloud resources listed in a YAML or JSON file.',
  },
  capabilities: [Capability.inventory.resolve],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['file'],
    properties: {
      file: { type: 'string', minLength: 1, description: 'Inventory file, relative to the config file.' },
    },
  },
  register(r) {
    r.value(INVENTORY, staticInventoryProvider);
  },
});
