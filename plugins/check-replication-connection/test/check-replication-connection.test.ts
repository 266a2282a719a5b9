import { describeChecker } from '@pgshift/conformance';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      return s.context({ source, target: source });
    },
    // A login role without the REPLICATION attribute.
    fail: async (s) => {
      const source = await s.server('source');
      await s.role(source, 'no_replication', 'LOGIN NOREPLICATION');
      return s.context({ source, target: source, sourceUser: 'no_replication' });
    },
  },
});
