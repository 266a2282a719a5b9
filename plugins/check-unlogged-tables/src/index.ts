import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { UnloggedTablesChecker } from './check.js';

export { UnloggedTablesChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-unlogged-tables',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Precheck: unlogged tables among the selected ones (Warning for a full copy, Failed when following).',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new UnloggedTablesChecker());
  },
});
