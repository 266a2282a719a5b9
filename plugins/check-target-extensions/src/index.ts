import { defineChecker } from '@pgshift/plugin-api';
import { TargetExtensionsChecker } from './check.js';

export default defineChecker({
  name: 'check-target-extensions',
  version: '0.1.0',
  description:
    'Precheck: every extension used on the source is available on the target, at the same version or newer.',
  checkers: () => [new TargetExtensionsChecker()],
});
