import replicatorLogical from '@pgshift/replicator-logical';
import { describe } from 'vitest';
import { describeReplicator } from '../src/index.js';

// The first-party replicator is the good reference: it must pass every replicator test.
describe('replicator-logical', () => {
  describeReplicator(
    { plugin: replicatorLogical, options: { groupMaxMs: 100, statusIntervalMs: 200 } },
    { majors: [17] },
  );
});

// With parallel apply (several target sessions) it must pass the same tests.
describe('replicator-logical, applySessions 3', () => {
  describeReplicator(
    { plugin: replicatorLogical, options: { groupMaxMs: 100, statusIntervalMs: 200, applySessions: 3 } },
    { majors: [17] },
  );
});
