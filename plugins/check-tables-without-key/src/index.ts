import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { TablesWithoutKeyChecker } from './check.js';

export { TablesWithoutKeyChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-tables-without-key',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Precheck: selected tables have a primary key or replica identity, so updates and deletes can be followed.',
  },
  capabilities: [Capability.checker.report, Capability.checker.incremental],
  register(r) {
    r.value(CHECKER, new TablesWithoutKeyChecker());
  },
});
