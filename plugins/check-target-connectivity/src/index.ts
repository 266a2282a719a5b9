import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { TargetConnectivityChecker } from './check.js';

export { TargetConnectivityChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-target-connectivity',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Precheck: pgshift can open an ordinary connection to the target.',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new TargetConnectivityChecker());
  },
});
