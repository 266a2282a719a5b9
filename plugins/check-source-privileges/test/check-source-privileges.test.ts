import { describeChecker } from '@pgshift/conformance';
import { expect } from 'vitest';
import plugin from '../src/index.js';

const SHOP = `CREATE TABLE public.items (id serial PRIMARY KEY, label text);
              CREATE SCHEMA "Sales"; CREATE TABLE "Sales"."Order" (id int PRIMARY KEY);`;
const TABLES = ['public.items', 'Sales.Order'] as const;

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'shop', SHOP);
      return s.context({ source, target: source, databases: [{ name: 'shop', tables: [...TABLES] }] });
    },
    // A login role with no grants and no REPLICATION attribute.
    fail: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'shop', SHOP);
      await s.role(source, 'reader', 'LOGIN');
      return s.context({
        source,
        target: source,
        sourceUser: 'reader',
        databases: [{ name: 'shop', tables: [...TABLES] }],
      });
    },
  },
  verify: {
    fail: (results) => {
      const remedy = results[0]?.remedy ?? '';
      expect(remedy).toContain('ALTER ROLE "reader" REPLICATION;');
      expect(remedy).toContain('GRANT USAGE ON SCHEMA "Sales" TO "reader";');
      expect(remedy).toContain('GRANT SELECT ON "Sales"."Order" TO "reader";');
      expect(remedy).toContain('GRANT SELECT ON SEQUENCE "public"."items_id_seq" TO "reader";');
    },
  },
});
