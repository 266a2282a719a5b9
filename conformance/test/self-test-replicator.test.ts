import { beforeAll, describe, expect, it } from 'vitest';
import { REPLICATOR_TESTS } from '../src/index.js';
import { type Outcome, runFixture } from './run-fixture.js';

const ON_17 = ' (on PostgreSQL 17)';

// The good reference (the first-party replicator) passes in replicator-suite.test.ts.
describe('replicator suite self-test (deliberately broken reference replicator)', () => {
  let results: Map<string, { status: Outcome; messages: string[] }>;
  const status = (test: string) => results.get(`fixture acks-early > ${test}${ON_17}`)?.status;

  beforeAll(async () => {
    results = await runFixture('broken-replicators.fixture.ts');
  });

  it('fails a replicator that acknowledges on receipt on "acknowledges only what it applied"', () => {
    expect(status(REPLICATOR_TESTS.ack)).toBe('failed');
    expect(results.get(`fixture acks-early > ${REPLICATOR_TESTS.ack}${ON_17}`)?.messages.join('\n')).toMatch(
      /confirmed_flush_lsn .* passed the target's apply position/,
    );
  });

  it('passes it where acknowledgement plays no part, and skips bypassed tests with their reason', () => {
    expect(status(REPLICATOR_TESTS.pgoutput)).toBe('passed');
    expect(results.get(`fixture acks-early > ${REPLICATOR_TESTS.meta}`)?.status).toBe('passed');
    expect(status(REPLICATOR_TESTS.testDecoding)).toBe('skipped');
  });
});
