import { describeChecker } from '@pgshift/conformance';
import { expect } from 'vitest';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      await s.database(
        source,
        'keyed',
        `CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (x int); ALTER TABLE b REPLICA IDENTITY FULL;
         CREATE TABLE c (x int NOT NULL); CREATE UNIQUE INDEX c_x ON c (x); ALTER TABLE c REPLICA IDENTITY USING INDEX c_x;`,
      );
      return s.context({ source, target: source, databases: ['keyed'] });
    },
    warn: async (s) => {
      const source = await s.server('source');
      await s.database(
        source,
        'unkeyed',
        'CREATE TABLE ok (id int PRIMARY KEY); CREATE TABLE "Log Lines" (at timestamptz, line text);',
      );
      return s.context({ source, target: source, databases: ['unkeyed'] });
    },
  },
  verify: {
    warn: (results) => {
      expect(results[0]?.remedy).toContain('ALTER TABLE "public"."Log Lines" REPLICA IDENTITY FULL;');
      expect(results[0]?.message).not.toContain('public.ok');
    },
  },
});
