import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { SettingsChecker } from './check.js';

export { SettingsChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-settings',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Precheck: encoding, collation, ctype, time zone and other behaviour-changing settings match between source and target.',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new SettingsChecker());
  },
});
