import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { LargeObjectsChecker } from './check.js';

export { LargeObjectsChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-large-objects',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Precheck: large objects in the selected databases (not carried by incremental sync).',
  },
  capabilities: [Capability.checker.report, Capability.checker.incremental],
  register(r) {
    r.value(CHECKER, new LargeObjectsChecker());
  },
});
