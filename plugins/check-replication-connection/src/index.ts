import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { ReplicationConnectionChecker } from './check.js';

export { ReplicationConnectionChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-replication-connection',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Precheck: a logical replication connection to every selected source database opens (when following).',
  },
  capabilities: [Capability.checker.report, Capability.checker.incremental],
  register(r) {
    r.value(CHECKER, new ReplicationConnectionChecker());
  },
});
