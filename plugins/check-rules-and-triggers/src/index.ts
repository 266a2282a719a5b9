import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { RulesAndTriggersChecker } from './check.js';

export { RulesAndTriggersChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-rules-and-triggers',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Precheck: tables with rules, or with triggers that write to other tables.',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new RulesAndTriggersChecker());
  },
});
