import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { TargetConflictsChecker } from './check.js';

export { TargetConflictsChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-target-conflicts',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Precheck: no object to migrate already exists under the same name on the target.',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new TargetConflictsChecker());
  },
});
