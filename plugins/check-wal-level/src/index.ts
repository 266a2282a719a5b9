import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { WalLevelChecker } from './check.js';

export { WalLevelChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-wal-level',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Precheck: the source runs with wal_level = logical (when following).',
  },
  capabilities: [Capability.checker.report, Capability.checker.incremental],
  register(r) {
    r.value(CHECKER, new WalLevelChecker());
  },
});
