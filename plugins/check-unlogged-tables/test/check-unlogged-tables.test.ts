import { describeChecker } from '@pgshift/conformance';
import { expect } from 'vitest';
import plugin from '../src/index.js';

const SETUP = 'CREATE TABLE kept (id int PRIMARY KEY); CREATE UNLOGGED TABLE scratch (id int PRIMARY KEY);';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'unlogged', SETUP);
      return s.context({
        source,
        target: source,
        databases: [{ name: 'unlogged', tables: ['public.kept'] }],
      });
    },
    warn: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'unlogged', SETUP);
      return s.context({ source, target: source, mode: 'full', databases: ['unlogged'] });
    },
    fail: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'unlogged', SETUP);
      return s.context({ source, target: source, mode: 'full+incremental', databases: ['unlogged'] });
    },
  },
  verify: {
    fail: (results) => expect(results[0]?.remedy).toContain('ALTER TABLE "public"."scratch" SET LOGGED;'),
  },
});
