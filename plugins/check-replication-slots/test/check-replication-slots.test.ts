import { describeChecker } from '@pgshift/conformance';
import { expect } from 'vitest';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      return s.context({ source, target: source });
    },
    // One slot allowed and already taken by another consumer.
    fail: async (s) => {
      const source = await s.server('one-slot', { settings: { max_replication_slots: 1 } });
      const [used] = await source.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = 'taken'");
      if (!used) await source.query("SELECT pg_create_physical_replication_slot('taken')");
      return s.context({ source, target: source });
    },
  },
  verify: {
    fail: (results) => {
      expect(results[0]?.message).toMatch(/0 of 1 replication slots/);
      expect(results[0]?.remedy).toContain('ALTER SYSTEM SET max_replication_slots = 2;');
      expect(results[0]?.remedy).toContain("SELECT pg_drop_replication_slot('taken');");
    },
  },
});
