import { defineChecker } from '@pgshift/plugin-api';
import { TablesWithoutKeyChecker } from './check.js';

export default defineChecker({
  name: 'check-tables-without-key',
  version: '0.1.0',
  description:
    'Precheck: selected tables have a primary key or replica identity, so updates and deletes can be followed.',
  followingOnly: true,
  checkers: () => [new TablesWithoutKeyChecker()],
});
