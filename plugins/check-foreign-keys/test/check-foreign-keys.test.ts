import { describeChecker } from '@pgshift/conformance';
import { expect } from 'vitest';
import plugin from '../src/index.js';

const SETUP = `CREATE TABLE customers (id int PRIMARY KEY);
               CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers);
               CREATE TABLE notes (id int PRIMARY KEY);`;

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'fk', SETUP);
      return s.context({
        source,
        target: source,
        databases: [{ name: 'fk', tables: ['public.orders', 'public.customers'] }],
      });
    },
    fail: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'fk', SETUP);
      return s.context({
        source,
        target: source,
        databases: [{ name: 'fk', tables: ['public.orders', 'public.notes'] }],
      });
    },
  },
  verify: { fail: (results) => expect(results[0]?.remedy).toContain('"fk.public.customers"') },
});
