import { defineChecker } from '@pgshift/plugin-api';
import { DiskSpaceChecker } from './check.js';

export default defineChecker({
  name: 'check-disk-space',
  version: '0.1.0',
  description: 'Precheck: the target has room for the selected data, where its free space can be known.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      targetFreeBytes: {
        type: 'integer',
        minimum: 0,
        description: "Free bytes on the target's data volume (PostgreSQL cannot report it over SQL).",
      },
      headroom: {
        type: 'number',
        minimum: 1,
        description:
          'Required free space as a multiple of the source size (indexes are rebuilt, WAL is written).',
      },
    },
  },
  defaultOptions: { headroom: 1.2 },
  checkers: (options) => [new DiskSpaceChecker(options)],
});
