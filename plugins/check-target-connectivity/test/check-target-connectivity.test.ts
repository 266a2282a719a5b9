import { describeChecker } from '@pgshift/conformance';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const target = await s.server('source');
      return s.context({ source: target, target });
    },
    // A role that does not exist on the target.
    fail: async (s) => {
      const target = await s.server('source');
      return s.context({ source: target, target, targetUser: 'nobody_here' });
    },
  },
});
