import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { TargetPrivilegesChecker } from './check.js';
import { TargetRolesChecker } from './roles-check.js';

export { TargetPrivilegesChecker } from './check.js';
export { TargetRolesChecker } from './roles-check.js';

export default definePlugin({
  meta: {
    name: 'check-target-privileges',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Prechecks: the target role may create the databases and objects to migrate, and the roles they name exist there.',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new TargetPrivilegesChecker());
    r.value(CHECKER, new TargetRolesChecker());
  },
});
