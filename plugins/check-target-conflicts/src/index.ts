import { defineChecker } from '@pgshift/plugin-api';
import { TargetConflictsChecker } from './check.js';

export default defineChecker({
  name: 'check-target-conflicts',
  version: '0.1.0',
  description: 'Precheck: no object to migrate already exists under the same name on the target.',
  checkers: () => [new TargetConflictsChecker()],
});
