import { defineChecker } from '@pgshift/plugin-api';
import { SettingsChecker } from './check.js';

export default defineChecker({
  name: 'check-settings',
  version: '0.1.0',
  description:
    'Precheck: encoding, collation, ctype, time zone and other behaviour-changing settings match between source and target.',
  checkers: () => [new SettingsChecker()],
});
