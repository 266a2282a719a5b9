import { describeChecker } from '@pgshift/conformance';
import { expect } from 'vitest';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      return s.context({ source, target: source });
    },
    // The target is PostgreSQL 10, older than the source.
    fail: async (s) =>
      s.context({ source: await s.server('source'), target: await s.server('target10', { major: 10 }) }),
  },
  verify: {
    fail: (results) =>
      expect(results[0]?.message).toMatch(/target runs PostgreSQL 10, older than the source's PostgreSQL 17/),
  },
});
