import { describeChecker } from '@pgshift/conformance';
import { expect } from 'vitest';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      await s.database(source, 'same');
      return s.context({ source, databases: [{ name: 'same', tables: [] }] });
    },
    // The target database was created with another encoding and a different time zone.
    warn: async (s) => {
      const source = await s.server('source');
      const target = await s.server('target');
      await s.database(source, 'tz');
      const [exists] = await target.query("SELECT 1 FROM pg_database WHERE datname = 'tz'");
      if (!exists) {
        await target.query(
          "CREATE DATABASE tz TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'",
        );
        await target.query("ALTER DATABASE tz SET timezone = 'Asia/Shanghai'");
      }
      return s.context({ source, target, databases: [{ name: 'tz', tables: [] }] });
    },
  },
  verify: {
    warn: (results) => {
      expect(results[0]?.message).toMatch(/encoding UTF8 on the source, LATIN1/);
      expect(results[0]?.message).toMatch(/TimeZone UTC on the source, Asia\/Shanghai on the target/);
      expect(results[0]?.remedy).toContain(`ALTER DATABASE "tz" SET TimeZone = 'UTC';`);
    },
  },
});
