import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { TargetPrivilegesChecker } from './check.js';

export { TargetPrivilegesChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-target-privileges',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Precheck: the target role may create the databases and objects to migrate.',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new TargetPrivilegesChecker());
  },
});
