import { defineChecker } from '@pgshift/plugin-api';
import { TargetConnectivityChecker } from './check.js';

export default defineChecker({
  name: 'check-target-connectivity',
  version: '0.1.0',
  description: 'Precheck: pgshift can open an ordinary connection to the target.',
  checkers: () => [new TargetConnectivityChecker()],
});
