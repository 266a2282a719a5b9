import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { ForeignKeysChecker } from './check.js';

export { ForeignKeysChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-foreign-keys',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Precheck: every table a selected table references by a foreign key is selected too.',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new ForeignKeysChecker());
  },
});
