import { defineChecker } from '@pgshift/plugin-api';
import { WalLevelChecker } from './check.js';

export default defineChecker({
  name: 'check-wal-level',
  version: '0.1.0',
  description: 'Precheck: the source runs with wal_level = logical (when following).',
  followingOnly: true,
  checkers: () => [new WalLevelChecker()],
});
