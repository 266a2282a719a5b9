import { defineChecker } from '@pgshift/plugin-api';
import { UnloggedTablesChecker } from './check.js';

export default defineChecker({
  name: 'check-unlogged-tables',
  version: '0.1.0',
  description:
    'Precheck: unlogged tables among the selected ones (Warning for a full copy, Failed when following).',
  checkers: () => [new UnloggedTablesChecker()],
});
