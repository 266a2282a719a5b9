import { defineChecker } from '@pgshift/plugin-api';
import { SourceConnectivityChecker } from './check.js';

export default defineChecker({
  name: 'check-source-connectivity',
  version: '0.1.0',
  description: 'Precheck: pgshift can open an ordinary connection to the source.',
  checkers: () => [new SourceConnectivityChecker()],
});
