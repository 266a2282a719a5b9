import { describeChecker } from '@pgshift/conformance';
import { expect } from 'vitest';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    // The database exists on the target but holds only an unrelated table.
    pass: async (s) => {
      const source = await s.server('source');
      const target = await s.server('target');
      await s.database(source, 'shop', 'CREATE TABLE items (id int PRIMARY KEY);');
      await s.database(target, 'shop', 'CREATE TABLE unrelated (id int);');
      return s.context({ source, target, databases: [{ name: 'shop', tables: ['public.items'] }] });
    },
    // A whole database whose target copy already has objects, one of them the same table.
    fail: async (s) => {
      const source = await s.server('source');
      const target = await s.server('target');
      await s.database(source, 'taken', 'CREATE TABLE items (id int PRIMARY KEY);');
      await s.database(target, 'taken', 'CREATE TABLE items (id serial PRIMARY KEY);');
      return s.context({ source, target, databases: ['taken'] });
    },
  },
  verify: {
    fail: (results) => {
      expect(results[0]?.remedy).toContain('DROP TABLE "public"."items" CASCADE;');
      // The sequence owned by the serial column goes with its table and is not listed.
      expect(results[0]?.message).not.toContain('items_id_seq');
    },
  },
});
