import { defineChecker } from '@pgshift/plugin-api';
import { ReplicationConnectionChecker } from './check.js';

export default defineChecker({
  name: 'check-replication-connection',
  version: '0.1.0',
  description:
    'Precheck: a logical replication connection to every selected source database opens (when following).',
  followingOnly: true,
  checkers: () => [new ReplicationConnectionChecker()],
});
