import { describeChecker } from '@pgshift/conformance';
import { describe, expect, it } from 'vitest';
import plugin, { compareVersions } from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'ext', 'CREATE EXTENSION hstore; CREATE EXTENSION pg_walinspect;');
      return s.context({ source, target: source, databases: ['ext'] });
    },
    // One server plays both sides. The source uses an extension no target offers, and hstore at a version newer than the
    // target's (both written into the source's catalog, as a newer or custom build would leave it).
    fail: async (s) => {
      const source = await s.server('source');
      await s.database(
        source,
        'ext_custom',
        `CREATE EXTENSION hstore; CREATE EXTENSION pg_walinspect;
         UPDATE pg_extension SET extversion = '9.1' WHERE extname = 'hstore';
         UPDATE pg_extension SET extname = 'acme_geo' WHERE extname = 'pg_walinspect';`,
      );
      return s.context({ source, target: source, databases: ['ext_custom'] });
    },
  },
  verify: {
    fail: (results) => {
      expect(results[0]?.message).toMatch(/missing on the target: acme_geo 1\.\d/);
      expect(results[0]?.message).toMatch(/older on the target: hstore: 9\.1 on the source, at most 1\.8/);
      expect(results[0]?.remedy).toContain(`CREATE EXTENSION IF NOT EXISTS "hstore" VERSION '9.1';`);
    },
  },
});

describe('extension versions', () => {
  it('compare by their numeric parts', () => {
    expect(compareVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect(compareVersions('2.5', '2.5.0')).toBe(0);
    expect(compareVersions('1.4', '1.8')).toBeLessThan(0);
  });
});
