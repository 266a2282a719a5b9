import { describeVersionPolicy, VERSION_POLICY_TESTS } from '@pgshift/conformance';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { Pg93Policy } from '../src/policy.js';

// No server is needed: the policy never decodes. Strict mode: the skipped incremental group is
// bypassed with its reason.
describeVersionPolicy(plugin, {
  majors: [],
  strict: true,
  bypass: {
    [VERSION_POLICY_TESTS.incremental]: 'PostgreSQL before 9.4 has no logical decoding',
  },
});

describe('policy-pg93', () => {
  it('tells the user to choose `mode: full` when incremental sync is asked for', () => {
    const caps = new Pg93Policy().capabilities(90324);
    expect(caps.incremental).toBe(false);
    expect(caps.incrementalUnavailableReason).toContain('mode: full');
  });
});
