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
    // A session holds a transaction with an xid open for longer than the (lowered) limit.
    warn: async (s) => {
      const source = await s.server('source');
      const holder = await source.client();
      s.onCleanup(() => holder.end());
      await holder.query('BEGIN');
      await holder.query('SELECT txid_current()');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return s.context({ source, target: source, options: { maxTransactionSeconds: 1 } });
    },
  },
  verify: { warn: (results) => expect(results[0]?.remedy).toMatch(/SELECT pg_terminate_backend\(\d+\);/) },
});
