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
    // A 9.5-style policy that expects dts_decoding, which this server does not have.
    fail: async (s) => {
      const source = await s.server('source');
      const ctx = await s.context({ source, target: source });
      return {
        ...ctx,
        capabilities: {
          fullCopy: true,
          incremental: true,
          decoder: { outputPlugin: 'dts_decoding', format: 'test_decoding', publication: false },
          slotSnapshotSyntax: 'keyword',
        },
      };
    },
  },
  verify: { fail: (results) => expect(results[0]?.message).toMatch(/dts_decoding is not installed/) },
});
