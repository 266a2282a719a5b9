import { describeChecker } from '@pgshift/conformance';
import { replicationHbaLine } from '@pgshift/pg';
import { describe, expect, it } from 'vitest';
import { PgHbaChecker } from '../src/check.js';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'shop');
      return s.context({ source, target: source, databases: [{ name: 'shop', tables: ['public.items'] }] });
    },
    // pg_hba.conf admits the maintenance database and physical replication, but not the database
    // to migrate: on PostgreSQL 10+ logical replication connections need a line for that database.
    fail: async (s) => {
      const source = await s.server('hba', {
        hba: [
          'local all all trust',
          'host postgres all 127.0.0.1/32 trust',
          'host replication all 127.0.0.1/32 trust',
        ],
      });
      await s.database(source, 'shop');
      return s.context({ source, target: source, databases: [{ name: 'shop', tables: ['public.items'] }] });
    },
  },
  verify: {
    fail: (results) => {
      expect(results[0]?.remedy).toMatch(/^host\s+shop\s+postgres\s+127\.0\.0\.1\/32\s+scram-sha-256$/m);
      expect(results[0]?.remedy).toContain('SELECT pg_reload_conf();');
    },
  },
});

describe('check-pg-hba remedy', () => {
  it('gives a database line for 10+ and a replication line for 9.4-9.6', () => {
    expect(replicationHbaLine(170000, 'shop', 'migrator', '203.0.113.7')).toMatch(
      /^host\s+shop\s+migrator\s+203\.0\.113\.7\/32\s+scram-sha-256$/,
    );
    expect(replicationHbaLine(90600, 'shop', 'migrator', '203.0.113.7')).toMatch(
      /^host\s+replication\s+migrator\s+203\.0\.113\.7\/32\s+md5$/,
    );
    expect(new PgHbaChecker().id).toBe('source.pg-hba-replication');
  });
});
