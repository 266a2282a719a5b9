import { defineChecker } from '@pgshift/plugin-api';
import { ReplicationSlotsChecker } from './check.js';

export default defineChecker({
  name: 'check-replication-slots',
  version: '0.1.0',
  description:
    'Precheck: the source has a free replication slot and WAL sender for every database to migrate (when following).',
  followingOnly: true,
  checkers: () => [new ReplicationSlotsChecker()],
});
