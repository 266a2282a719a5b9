import { defineChecker } from '@pgshift/plugin-api';
import { VersionsChecker } from './check.js';

export default defineChecker({
  name: 'check-versions',
  version: '0.1.0',
  description:
    'Precheck: a version policy covers the source, the mode is allowed by it, and the target major is not older.',
  checkers: () => [new VersionsChecker()],
});
