import { describeChecker } from '@pgshift/conformance';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'plain');
      return s.context({ source, target: source, databases: ['plain'] });
    },
    warn: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'lobs', "SELECT lo_from_bytea(0, '\\x00ff'::bytea)");
      return s.context({ source, target: source, databases: ['lobs'] });
    },
  },
});
