import { describeChecker } from '@pgshift/conformance';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      return s.context({ source, target: source });
    },
    // A maintenance database that does not exist: the server answers, the connection is refused.
    fail: async (s) => {
      const source = await s.server('source');
      return s.context({ source, target: source, maintenanceDatabase: 'no_such_database' });
    },
  },
});
