import { CHECKER, PluginLoadError } from '@pgshift/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTask } from '../src/load-task.js';
import { GREETING } from './fixtures/shared-token.js';
import { fixture, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('loadTask', () => {
  it('loads plugins imported by a pgshift.config.ts and by path, each in its own container', async () => {
    process.env.PGSHIFT_TEST_TS_PASSWORD = 'ts-secret-31337';
    const task = await loadTask(fixture('pgshift.config.ts'), { firstPartyDefaults: false });
    try {
      const byName = new Map(task.plugins.map((p) => [p.definition.meta.name, p]));
      expect([...byName.keys()].sort()).toEqual(['fixture-check-a', 'fixture-check-b', 'fixture-direct']);
      expect(byName.get('fixture-check-a')?.source).toContain('imported by');
      expect(byName.get('fixture-check-b')?.source).toBe(fixture('fixture-check-b/index.ts'));
      // Both plugins registered GREETING; each container answers with its own.
      expect(byName.get('fixture-check-a')?.resolver.resolve(GREETING)).toBe('hello from a');
      expect(byName.get('fixture-check-b')?.resolver.resolve(GREETING)).toBe('hello from b');
      expect(byName.get('fixture-direct')?.resolver.isRegistered(GREETING)).toBe(false);
      const checkers = task.checkers();
      expect(checkers.map((c) => [c.plugin, c.checker.id, c.options.outcome])).toEqual([
        ['fixture-check-a', 'fixture.check-a', 'warning'],
        ['fixture-check-b', 'fixture.check-b', 'pass'],
      ]);
      expect(byName.get('fixture-check-a')?.resolver.resolve(CHECKER)).toBe(checkers[0]?.checker);
      expect(task.connector('source').access).toBe('fixture-direct');
      expect(task.config.mode).toBe('full');
      expect(String(task.config.source.password)).toBe('[redacted]');
      expect(task.redactor.redact('pw ts-secret-31337')).toBe('pw [redacted]');
    } finally {
      await task.close();
    }
  });

  it("makes a factory value once, on first resolve, with the plugin's own logger", async () => {
    const { GREETER, Greeter } = await import('./fixtures/fixture-factory/index.js');
    const file = tmp.write(
      'factory.yaml',
      `task: { name: t }
source: { access: fixture-direct, host: h, user: u }
target: { access: fixture-direct, host: h, user: u }
plugins: ["${fixture('fixture-direct')}", "${fixture('fixture-factory')}"]
`,
    );
    const task = await loadTask(file, { firstPartyDefaults: false });
    const plugin = task.plugins.find((p) => p.definition.meta.name === 'fixture-factory')!;
    const before = Greeter.made;
    const greeter = plugin.resolver.resolve(GREETER);
    expect(greeter).toBeInstanceOf(Greeter);
    expect(plugin.resolver.resolve(GREETER)).toBe(greeter);
    expect(Greeter.made).toBe(before + 1);
    expect(typeof greeter.logger.info).toBe('function');
    expect(greeter.logger).not.toBe(task.logger);
    await task.close();
  });

  it('finds a connector named by path in access, without a plugins entry', async () => {
    const file = tmp.write(
      'access-path.yaml',
      `task: { name: t }
source: { access: "${fixture('fixture-direct')}", host: h, user: u }
target: { access: "${fixture('fixture-direct')}", host: h2, user: u }
`,
    );
    const task = await loadTask(file, { firstPartyDefaults: false });
    expect(task.plugins.map((p) => p.definition.meta.name)).toEqual(['fixture-direct']);
    expect(task.connector('source').access).toBe('fixture-direct');
    expect(task.connector('target')).toBe(task.connector('source'));
    await task.close();
  });

  it('says clearly when no loader or replicator is loaded', async () => {
    const file = tmp.write(
      'no-loader.yaml',
      `task: { name: t }
source: { access: fixture-direct, host: h, user: u }
target: { access: fixture-direct, host: h, user: u }
plugins: ["${fixture('fixture-direct')}"]
`,
    );
    const task = await loadTask(file, { firstPartyDefaults: false });
    expect(() => task.loader()).toThrow(/no loader plugin is loaded/);
    expect(() => task.replicator()).toThrow(/no replicator plugin is loaded/);
    expect(task.policies()).toEqual([]);
    await task.close();
  });

  it('masks secrets in a failing register() message', async () => {
    const file = tmp.write(
      'explode.yaml',
      `task: { name: t }
source: { access: fixture-direct, host: h, user: u }
target: { access: fixture-direct, host: h, user: u }
plugins:
  - "${fixture('fixture-direct')}"
  - { use: "${fixture('fixture-check-a')}", options: { explode: true, token: tok-2718281828 } }
`,
    );
    const error = await loadTask(file, { firstPartyDefaults: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as Error).message).toBe(
      'plugin fixture-check-a failed to register: cannot register with token [redacted]',
    );
  });

  it('checks that required plugins are loaded', async () => {
    const file = tmp.write(
      'needy.yaml',
      `task: { name: t }
source: { access: fixture-direct, host: h, user: u }
target: { access: fixture-direct, host: h, user: u }
plugins: ["${fixture('fixture-direct')}", "${fixture('fixture-needy')}"]
`,
    );
    const error = (await loadTask(file, { firstPartyDefaults: false }).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'plugins[1]: plugin "fixture-needy" requires plugin "helper-plugin", which is not loaded (add "helper-plugin" to plugins)',
    );
  });
});
