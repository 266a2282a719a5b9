import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { PgHbaChecker } from './check.js';

export { PgHbaChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-pg-hba',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Precheck: pg_hba.conf on the source admits replication connections to every selected database (when following).',
  },
  capabilities: [Capability.checker.report, Capability.checker.incremental],
  register(r) {
    r.value(CHECKER, new PgHbaChecker());
  },
});
