import { Capability, definePlugin, PLUGIN_API_VERSION, VERSION_POLICY } from '@pgshift/plugin-api';
import { Pg10Policy } from './policy.js';

export { Pg10Policy } from './policy.js';

export default definePlugin({
  meta: {
    name: 'policy-pg10',
    version: '0.1.0',
    kind: 'version-policy',
    apiVersion: PLUGIN_API_VERSION,
    description: 'PostgreSQL 10 and later: incremental sync through pgoutput with a publication',
  },
  capabilities: [Capability.versionPolicy.fullCopy, Capability.versionPolicy.incremental],
  register(r) {
    r.value(VERSION_POLICY, new Pg10Policy());
  },
});
