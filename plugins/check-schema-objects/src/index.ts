import { defineChecker } from '@pgshift/plugin-api';
import { SchemaObjectsChecker } from './check.js';

export default defineChecker({
  name: 'check-schema-objects',
  version: '0.1.0',
  description:
    "Precheck: every schema object the copy would leave out or could not create on the target's major, named before the run.",
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowSkipped: {
        type: 'array',
        uniqueItems: true,
        items: { type: 'string', minLength: 1 },
        description:
          'Kinds of objects the schema copy may leave out with a Warning instead of Failed, as the check names them (e.g. "options of user mapping (only a superuser may read them)"); you recreate them on the target yourself.',
      },
    },
  },
  defaultOptions: { allowSkipped: [] },
  checkers: () => [new SchemaObjectsChecker()],
});
