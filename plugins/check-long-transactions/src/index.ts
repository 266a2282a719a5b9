import { defineChecker } from '@pgshift/plugin-api';
import { LongTransactionsChecker } from './check.js';

export default defineChecker({
  name: 'check-long-transactions',
  version: '0.1.0',
  description:
    'Precheck: long-running or prepared transactions on the source (creating the slot waits for them).',
  followingOnly: true,
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
  checkers: (options) => [new LongTransactionsChecker(options)],
});
