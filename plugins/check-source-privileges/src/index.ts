import { defineChecker } from '@pgshift/plugin-api';
import { SourcePrivilegesChecker } from './check.js';

export default defineChecker({
  name: 'check-source-privileges',
  version: '0.1.0',
  description:
    'Precheck: the source role can read the selected tables and sequences, and may replicate when following.',
  checkers: () => [new SourcePrivilegesChecker()],
});
