import { defineChecker } from '@pgshift/plugin-api';
import { PgHbaChecker } from './check.js';

export default defineChecker({
  name: 'check-pg-hba',
  version: '0.1.0',
  description:
    'Precheck: pg_hba.conf on the source admits replication connections to every selected database (when following).',
  followingOnly: true,
  checkers: () => [new PgHbaChecker()],
});
