import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { SourcePrivilegesChecker } from './check.js';

export { SourcePrivilegesChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-source-privileges',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Precheck: the source role can read the selected tables and sequences, and may replicate when following.',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new SourcePrivilegesChecker());
  },
});
