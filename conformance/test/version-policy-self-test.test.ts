import { beforeAll, describe, expect, it } from 'vitest';
import { VERSION_POLICY_TESTS } from '../src/index.js';
import { type Outcome, runFixture } from './run-fixture.js';

const ON_10 = ' (on PostgreSQL 10)';

describe('version policy suite self-test (good and deliberately broken reference policies)', () => {
  let results: Map<string, { status: Outcome; messages: string[] }>;
  const status = (fixture: string, test: string) => results.get(`fixture ${fixture} > ${test}`)?.status;

  beforeAll(async () => {
    results = await runFixture('broken-policies.fixture.ts');
  });

  it('passes the good reference policy, including a real slot and decoding on PostgreSQL 10', () => {
    for (const test of [
      VERSION_POLICY_TESTS.meta,
      VERSION_POLICY_TESTS.min,
      VERSION_POLICY_TESTS.incremental,
    ])
      expect(status('policy-good', test), test).toBe('passed');
    expect(status('policy-good', VERSION_POLICY_TESTS.slot + ON_10)).toBe('passed');
    expect(status('policy-good', VERSION_POLICY_TESTS.decode + ON_10)).toBe('passed');
  });

  it('fails a policy that asks PostgreSQL 10 for the option-list slot syntax, statically and on a real server', () => {
    expect(status('policy-early-option-list', VERSION_POLICY_TESTS.incremental)).toBe('failed');
    expect(status('policy-early-option-list', VERSION_POLICY_TESTS.slot + ON_10)).toBe('failed');
  });

  it('fails a policy whose capabilities contradict what it declares', () => {
    expect(status('policy-undeclared', VERSION_POLICY_TESTS.consistent)).toBe('failed');
  });
});
