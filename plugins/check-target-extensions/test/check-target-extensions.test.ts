import { ConformanceServers, describeChecker } from '@pgshift/conformance';
import { CHECKER, instantiatePlugin } from '@pgshift/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { compareVersions } from '../src/check.js';
import plugin from '../src/index.js';

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

describe('a target account that is not a superuser', () => {
  const servers = new ConformanceServers(17);
  afterAll(() => servers.stopAll());

  it('fails on an extension only a superuser may create, passes on a trusted one and on one already there', async () => {
    const [source, target] = [await servers.server('source'), await servers.server('target')];
    await servers.database(source, 'ext_rights', 'CREATE EXTENSION hstore; CREATE EXTENSION dblink;');
    await servers.role(target, 'migrator', 'LOGIN CREATEDB');
    const checker = (await instantiatePlugin(plugin)).own(CHECKER)[0]!;
    const run = async () => {
      const ctx = await servers.checkContext({ source, target, databases: ['ext_rights'] });
      const results = await checker.run({
        ...ctx,
        target: servers.handle('target', target, { user: 'migrator' }),
      });
      return (Array.isArray(results) ? results : [results])[0]!;
    };
    const result = await run();
    expect(result.status).toBe('failed');
    // dblink is untrusted; hstore is trusted (13+), so migrator may create it: only dblink is named.
    expect(result.message).toBe(
      'only a superuser may create these on the target, and migrator is not one: dblink (in ext_rights)',
    );
    expect(result.remedy).toContain('CREATE EXTENSION IF NOT EXISTS "dblink";');
    // Done as the remedy says: the database with dblink in it, made by a superuser. Then it passes.
    await servers.database(target, 'ext_rights', 'CREATE EXTENSION dblink;');
    expect((await run()).status).toBe('pass');
  });
});
