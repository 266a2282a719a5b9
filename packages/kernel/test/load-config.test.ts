import { ConfigError, PluginApiVersionError, Secret } from '@pgshift/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { Redactor } from '../src/logging/redactor.js';
import { PluginCatalog } from '../src/plugins/plugin-catalog.js';
import { fixture, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function load(file: string, redactor = new Redactor()) {
  return loadConfig(file, { redactor, catalog: new PluginCatalog(tmp.dir), firstPartyDefaults: false });
}

async function problemsOf(file: string): Promise<string[]> {
  try {
    await load(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  }
  throw new Error('expected the config to be rejected');
}

const direct = fixture('fixture-direct');

describe('config validation', () => {
  it('reports five different mistakes at once, each with its path', async () => {
    const file = tmp.write(
      'five.yaml',
      `task:
  name: Shop To Cloud
source:
  access: fixture-direct
  host: db.example
  port: 70000
  user: app
  ssl: { sslmod: require }
target:
  access: fixture-direct
  user: postgres
mode: fast
plugins: ["${direct}"]
`,
    );
    const problems = await problemsOf(file);
    expect(problems).toHaveLength(5);
    expect(problems).toEqual(
      expect.arrayContaining([
        'task.name: must start with a lower-case letter or digit and contain only a-z, 0-9, "-" and "_"',
        'source.port: must be an integer between 1 and 65535',
        'source.ssl: unknown field "sslmod" (allowed: sslmode)',
        'target: missing required field "host"',
        'mode: must be one of "full", "full+incremental", "schema"',
      ]),
    );
  });

  it('names wrong types, unknown top-level fields, bad dates and bad core options', async () => {
    const file = tmp.write(
      'types.json',
      JSON.stringify({
        task: { name: 'ok', startAt: 'tomorrow' },
        source: { access: 'fixture-direct', host: 'h', user: 'u', port: '5432' },
        target: { access: 'fixture-direct', host: 'h', user: 'u' },
        options: { jobs: 0, copyOwners: 'yes' },
        objects: { exclude: ['a.b.c.d'], include: ['shop."odd.schema".t*', 'crm'] },
        extra: 1,
        plugins: [direct],
      }),
    );
    expect(await problemsOf(file)).toEqual(
      expect.arrayContaining([
        'unknown field "extra" (allowed: task, source, target, objects, mode, plugins, options)',
        'task.startAt: must be an ISO 8601 date-time such as 2026-12-01T02:00:00Z',
        'source.port: must be an integer',
        'options.jobs: must be an integer between 1 and 64',
        'options.copyOwners: must be true or false',
        'objects.exclude[0]: must be a database.schema.table pattern ("*" matches any run of characters)',
      ]),
    );
    expect((await problemsOf(file)).filter((p) => p.startsWith('objects.include'))).toEqual([]);
  });

  it('lists every path tried for an unknown connector and an unknown plugin path', async () => {
    const file = tmp.write(
      'unknown.yaml',
      `task: { name: t }
source: { access: publik-ip, host: h }
target: { access: fixture-direct, host: h, user: u }
plugins: ["${direct}", ./plugins/my-check]
`,
    );
    const problems = await problemsOf(file);
    const access = problems.find((p) =>
      p.startsWith('source.access: no connector plugin named "publik-ip" (tried: '),
    );
    expect(access).toBeDefined();
    expect(access).toContain('first-party plugins [');
    expect(access).toContain(`${tmp.dir}/node_modules/@pgshift/publik-ip`);
    expect(access).toContain(`${tmp.dir}/node_modules/@pgshift/plugin-publik-ip`);
    expect(access).toContain(`${tmp.dir}/node_modules/publik-ip`);
    const path = problems.find((p) =>
      p.startsWith('plugins[1]: no plugin named "./plugins/my-check" (tried: '),
    );
    expect(path).toContain(`${tmp.dir}/plugins/my-check.ts`);
    expect(path).toContain(`${tmp.dir}/plugins/my-check.js`);
  });

  it('rejects a plugin written for another plugin API version, naming it and both versions', async () => {
    await expect(new PluginCatalog(tmp.dir).resolve(fixture('fixture-bad-api'))).rejects.toThrow(
      PluginApiVersionError,
    );
    const file = tmp.write(
      'api.yaml',
      `task: { name: t }
source: { access: fixture-direct, host: h, user: u }
target: { access: fixture-direct, host: h, user: u }
plugins: ["${direct}", "${fixture('fixture-bad-api')}"]
`,
    );
    expect(await problemsOf(file)).toEqual([
      'plugins[1]: plugin fixture-bad-api was written for plugin API 2.0, but this pgshift supports 1.0',
    ]);
  });

  it('validates plugin options against the plugin schema under the entry path', async () => {
    const file = tmp.write(
      'options.yaml',
      `task: { name: t }
source: { access: fixture-direct, host: h, user: u }
target: { access: fixture-direct, host: h, user: u }
plugins:
  - "${direct}"
  - { use: "${fixture('fixture-check-a')}", options: { outcome: maybe, colour: red } }
`,
    );
    expect(await problemsOf(file)).toEqual(
      expect.arrayContaining([
        'plugins[1].options.outcome: must be one of "pass", "warning", "failed", "throw", "hang"',
        'plugins[1].options: unknown field "colour" (allowed: outcome, token, explode)',
      ]),
    );
  });

  it('resolves secrets given inline, by env and by file into Secret objects, and applies defaults', async () => {
    process.env.PGSHIFT_TEST_ENV_PASSWORD = 'env-pw-4711';
    tmp.write('pw.txt', 'file-pw-0815\n');
    const file = tmp.write(
      'secrets.yaml',
      `task: { name: shop-move }
source: { access: fixture-direct, host: h, user: u, password: { env: PGSHIFT_TEST_ENV_PASSWORD } }
target: { access: fixture-direct, host: h, user: u, password: { file: pw.txt }, database: maint }
plugins: ["${direct}", { use: "${fixture('fixture-check-a')}", options: { token: inline-token-99 } }]
`,
    );
    const redactor = new Redactor();
    const { config, plugins } = await load(file, redactor);
    const source = config.source.password as Secret;
    const target = config.target.password as Secret;
    expect(source).toBeInstanceOf(Secret);
    expect(source.reveal()).toBe('env-pw-4711');
    expect(source.origin).toBe('env PGSHIFT_TEST_ENV_PASSWORD');
    expect(target.reveal()).toBe('file-pw-0815');
    expect(config.target.database).toBe('maint');
    expect(config.source.port).toBe(5432);
    expect(JSON.stringify(config)).not.toContain('pw-');
    expect(plugins[1]?.options.outcome).toBe('pass');
    expect((plugins[1]!.options.token as Secret).reveal()).toBe('inline-token-99');
    expect(redactor.redact('a env-pw-4711 b file-pw-0815 c inline-token-99')).toBe(
      'a [redacted] b [redacted] c [redacted]',
    );
    expect(config.mode).toBe('full+incremental');
    expect(config.options.jobs).toBe(4);
    expect(config.options.stateDir).toBe(`${tmp.dir}/.pgshift/shop-move`);
  });

  it('checks options.limits field by field, naming each path and the remedy, and takes a valid one', async () => {
    const bad = tmp.write(
      'limits-bad.yaml',
      `task: { name: t }
source: { access: fixture-direct, host: h, user: u }
target: { access: fixture-direct, host: h, user: u }
plugins: ["${direct}"]
options:
  limits:
    copy: { megabytesPerSecond: -5, rowsPerSecond: fast }
    apply: { mbps: 3 }
    sync: {}
`,
    );
    expect(await problemsOf(bad)).toEqual(
      expect.arrayContaining([
        'options.limits.copy.megabytesPerSecond: must be a number of at least 0',
        'options.limits.copy.rowsPerSecond: must be a number',
        'options.limits.apply: unknown field "mbps" (allowed: rowsPerSecond, megabytesPerSecond)',
        'options.limits: unknown field "sync" (allowed: copy, apply)',
      ]),
    );
    const error = await load(bad).catch((e: unknown) => e);
    expect((error as ConfigError).remedy).toContain('pgshift config validate');

    const good = tmp.write(
      'limits-good.yaml',
      `task: { name: t }
source: { access: fixture-direct, host: h, user: u }
target: { access: fixture-direct, host: h, user: u }
plugins: ["${direct}"]
options: { limits: { copy: { megabytesPerSecond: 20 }, apply: { rowsPerSecond: 5000, megabytesPerSecond: 0 } } }
`,
    );
    const { config } = await load(good);
    expect(config.options.limits).toEqual({
      copy: { megabytesPerSecond: 20 },
      apply: { rowsPerSecond: 5000, megabytesPerSecond: 0 },
    });
  });

  it('reports an unset env var and an unreadable secret file with their paths', async () => {
    delete process.env.PGSHIFT_TEST_UNSET;
    const file = tmp.write(
      'missing-secret.yaml',
      `task: { name: t }
source: { access: fixture-direct, host: h, user: u, password: { env: PGSHIFT_TEST_UNSET } }
target: { access: fixture-direct, host: h, user: u, password: { file: nope.txt } }
plugins: ["${direct}"]
`,
    );
    expect(await problemsOf(file)).toEqual([
      'source.password: environment variable PGSHIFT_TEST_UNSET is not set',
      `target.password: cannot read secret file ${tmp.dir}/nope.txt (ENOENT)`,
    ]);
  });

  it('refuses --on-lost-snapshot per-table when following, and takes it for a full copy', async () => {
    const config = (mode: string) =>
      tmp.write(
        `lost-${mode.replace('+', '-')}.yaml`,
        `task: { name: t }
source: { access: fixture-direct, host: h, user: u }
target: { access: fixture-direct, host: h, user: u }
mode: ${mode}
options: { onLostSnapshot: per-table }
plugins: ["${direct}"]
`,
      );
    expect(await problemsOf(config('full+incremental'))).toEqual([
      expect.stringMatching(
        /^options\.onLostSnapshot: per-table cannot be used with mode full\+incremental: .*use restart/,
      ),
    ]);
    const full = await load(config('full'));
    expect(full.config.options.onLostSnapshot).toBe('per-table');
  });

  it('reports a YAML syntax error with its line and a remedy', async () => {
    const file = tmp.write('broken.yaml', 'task:\n  name: [unclosed\n');
    const [problem] = await problemsOf(file);
    expect(problem).toMatch(/is not valid YAML at line \d+/);
    const error = (await load(file).catch((e: unknown) => e)) as ConfigError;
    expect(error.remedy).toMatch(/pgshift config validate/);
  });
});
