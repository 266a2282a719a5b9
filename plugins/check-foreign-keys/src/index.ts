import { defineChecker } from '@pgshift/plugin-api';
import { ForeignKeysChecker } from './check.js';

export default defineChecker({
  name: 'check-foreign-keys',
  version: '0.1.0',
  description: 'Precheck: every table a selected table references by a foreign key is selected too.',
  checkers: () => [new ForeignKeysChecker()],
});
