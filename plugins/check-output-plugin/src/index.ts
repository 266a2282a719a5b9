import { defineChecker } from '@pgshift/plugin-api';
import { OutputPluginChecker } from './check.js';

export default defineChecker({
  name: 'check-output-plugin',
  version: '0.1.0',
  description:
    'Precheck: the output plugin the version policy chose loads on the source (a temporary slot is created and dropped).',
  followingOnly: true,
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      timeoutSeconds: {
        type: 'integer',
        minimum: 1,
        description: 'How long creating the test slot may wait for running transactions.',
      },
    },
  },
  defaultOptions: { timeoutSeconds: 15 },
  checkers: (options) => [new OutputPluginChecker(options)],
});
