import { defineChecker } from '@pgshift/plugin-api';
import { LargeObjectsChecker } from './check.js';

export default defineChecker({
  name: 'check-large-objects',
  version: '0.1.0',
  description: 'Precheck: large objects in the selected databases (not carried by incremental sync).',
  followingOnly: true,
  checkers: () => [new LargeObjectsChecker()],
});
