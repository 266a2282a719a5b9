import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { OutputPluginChecker } from './check.js';

export { OutputPluginChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-output-plugin',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Precheck: the output plugin the version policy chose loads on the source (a temporary slot is created and dropped).',
  },
  capabilities: [Capability.checker.report, Capability.checker.incremental],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      timeoutSeconds: {
        type: 'integer',
        minimum: 1,
        description: 'How long creating the test slot may wait for running transactions.',
      },
    },
  },
  defaultOptions: { timeoutSeconds: 15 },
  register(r) {
    r.value(CHECKER, new OutputPluginChecker(r.options));
  },
});
