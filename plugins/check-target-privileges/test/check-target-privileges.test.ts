import { describeChecker } from '@pgshift/conformance';
import { expect } from 'vitest';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const server = await s.server('source');
      await s.database(server, 'shop');
      return s.context({ source: server, target: server, databases: [{ name: 'shop', tables: [] }] });
    },
    // The target role may not create the database to migrate.
    fail: async (s) => {
      const server = await s.server('source');
      await s.role(server, 'plain', 'LOGIN NOCREATEDB');
      return s.context({
        source: server,
        target: server,
        targetUser: 'plain',
        databases: [{ name: 'not_there_yet', tables: [] }],
      });
    },
  },
  verify: { fail: (results) => expect(results[0]?.remedy).toContain('ALTER ROLE "plain" CREATEDB;') },
});
