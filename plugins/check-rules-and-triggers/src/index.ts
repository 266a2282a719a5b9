import { defineChecker } from '@pgshift/plugin-api';
import { RulesAndTriggersChecker } from './check.js';

export default defineChecker({
  name: 'check-rules-and-triggers',
  version: '0.1.0',
  description: 'Precheck: tables with rules, or with triggers that write to other tables.',
  checkers: () => [new RulesAndTriggersChecker()],
});
