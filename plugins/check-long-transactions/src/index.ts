import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { LongTransactionsChecker } from './check.js';

export { LongTransactionsChecker } from './check.js';

export default definePlugin({
  meta: {
    name: 'check-long-transactions',
    version: '0.1.0',
    kind: 'checker',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Precheck: long-running or prepared transactions on the source (creating the slot waits for them).',
  },
  capabilities: [Capability.checker.report, Capability.checker.incremental],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      maxTransactionSeconds: {
        type: 'integer',
        minimum: 0,
        description: 'Transactions open longer than this are reported.',
      },
    },
  },
  defaultOptions: { maxTransactionSeconds: 60 },
  register(r) {
    r.value(CHECKER, new LongTransactionsChecker(r.options));
  },
});
