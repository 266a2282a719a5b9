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
    fail: async (s) => {
      const source = await s.server('replica', { settings: { wal_level: 'replica' } });
      return s.context({ source, target: source });
    },
  },
  verify: {
    fail: (results) => expect(results[0]?.remedy).toContain('ALTER SYSTEM SET wal_level = logical;'),
  },
});
