import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { TargetExtensionsChecker } from './check.js';

export { compareVersions, TargetExtensionsChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-target-extensions',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Precheck: every extension used on the source is available on the target, at the same version or newer.',
  },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, new TargetExtensionsChecker());
  },
});
