import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { VersionsChecker } from './check.js';

export { VersionsChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-versions',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Precheck: a version policy covers the source, the mode is allowed by it, and the target major is not older.',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new VersionsChecker());
  },
});
