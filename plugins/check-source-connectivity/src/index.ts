import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { SourceConnectivityChecker } from './check.js';

export { SourceConnectivityChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-source-connectivity',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Precheck: pgshift can open an ordinary connection to the source.',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new SourceConnectivityChecker());
  },
});
