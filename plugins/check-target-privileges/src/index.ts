import { defineChecker } from '@pgshift/plugin-api';
import { TargetPrivilegesChecker } from './check.js';
import { TargetRolesChecker } from './roles-check.js';

export default defineChecker({
  name: 'check-target-privileges',
  version: '0.1.0',
  description:
    'Prechecks: the target role may create the databases and objects to migrate, and the roles they name exist there.',
  checkers: () => [new TargetPrivilegesChecker(), new TargetRolesChecker()],
});
