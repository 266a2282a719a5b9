import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { ReplicationSlotsChecker } from './check.js';

export { ReplicationSlotsChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-replication-slots',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Precheck: the source has a free replication slot and WAL sender for every database to migrate (when following).',
  },
  capabilities: [Capability.checker.report, Capability.checker.incremental],
  register(r) {
    r.value(CHECKER, new ReplicationSlotsChecker());
  },
});
