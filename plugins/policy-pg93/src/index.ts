import { Capability, definePlugin, PLUGIN_API_VERSION, VERSION_POLICY } from '@pgshift/plugin-api';
import { Pg93Policy } from './policy.js';

export { INCREMENTAL_UNAVAILABLE, Pg93Policy } from './policy.js';

export default definePlugin({
  meta: {
    name: 'policy-pg93',
    version: '0.1.0',
    kind: 'version-policy',
    apiVersion: PLUGIN_API_VERSION,
    description: 'PostgreSQL before 9.4: full copy only',
  },
  capabilities: [Capability.versionPolicy.fullCopy],
  register(r) {
    r.value(VERSION_POLICY, new Pg93Policy());
  },
});
