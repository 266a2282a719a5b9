import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KERNEL_FIXTURES, runCli, tempDir } from './run-cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const direct = join(KERNEL_FIXTURES, 'fixture-direct');

describe('pgshift config validate', () => {
  it('prints five path-prefixed problems for five mistakes and exits 2, without a stack trace', async () => {
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
    const { code, stdout, stderr } = await runCli(['config', 'validate', '-c', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr
      .split('\n')
      .filter((l) => /^[a-z][\w.[\]]*: /.test(l) && !/^(remedy|error\[)/.test(l));
    expect(lines).toEqual([
      'task.name: must start with a lower-case letter or digit and contain only a-z, 0-9, "-" and "_"',
      'mode: must be one of "full", "full+incremental", "schema"',
      'source.port: must be an integer between 1 and 65535',
      'source.ssl: unknown field "sslmod" (allowed: sslmode)',
      'target: missing required field "host"',
    ]);
    expect(stderr).toContain('error[PGSHIFT_CONFIG_INVALID]: the config has 5 problems:');
    expect(stderr).toContain('remedy: fix ');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('accepts a valid file with exit 0', async () => {
    const file = tmp.write(
      'valid.yaml',
      `task: { name: shop-to-cloud, startAt: "2026-12-01T02:00:00Z" }
source: { access: fixture-direct, host: 203.0.113.10, port: 5432, user: migrator, database: postgres }
target: { access: fixture-direct, host: 10.0.0.8, user: postgres }
objects: { databases: [shop], exclude: ["shop.public.audit_log"] }
mode: full+incremental
plugins: ["${direct}"]
options: { jobs: 8 }
`,
    );
    const { code, stdout } = await runCli(['config', 'validate', '-c', file]);
    expect(code).toBe(0);
    expect(stdout).toContain('is valid: task shop-to-cloud, mode full+incremental');
    const json = await runCli(['config', 'validate', '-c', file, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, task: { name: 'shop-to-cloud' } });
  });

  it('lists every path tried for an unknown plugin name, exit 2', async () => {
    const file = tmp.write(
      'unknown.yaml',
      `task: { name: t }
source: { access: publik-ip, host: h, user: u }
target: { access: fixture-direct, host: h, user: u }
plugins: ["${direct}"]
`,
    );
    const { code, stderr } = await runCli(['config', 'validate', '-c', file]);
    expect(code).toBe(2);
    const line = stderr.split('\n').find((l) => l.startsWith('source.access: '));
    expect(line).toMatch(
      /^source\.access: no connector plugin named "publik-ip" \(tried: first-party plugins \[.*\]/,
    );
    expect(line).toContain(join(tmp.dir, 'node_modules/@pgshift/publik-ip'));
    expect(line).toContain(join(tmp.dir, 'node_modules/@pgshift/plugin-publik-ip'));
    expect(line).toContain(join(tmp.dir, 'node_modules/publik-ip'));
  });

  it('names the plugin and both API versions for a plugin built for another plugin API', async () => {
    const file = tmp.write(
      'api.yaml',
      `task: { name: t }
source: { access: fixture-direct, host: h, user: u }
target: { access: fixture-direct, host: h, user: u }
plugins: ["${direct}", "${join(KERNEL_FIXTURES, 'fixture-bad-api')}"]
`,
    );
    const { code, stderr } = await runCli(['config', 'validate', '-c', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'plugins[1]: plugin fixture-bad-api was written for plugin API 2.0, but this pgshift supports 1.0',
    );
  });

  it('loads a pgshift.config.ts that imports its plugins', async () => {
    const { code, stdout } = await runCli(
      ['config', 'validate', '--json', '-c', join(KERNEL_FIXTURES, 'pgshift.config.ts')],
      { PGSHIFT_TEST_TS_PASSWORD: 'ts-pw-1' },
    );
    expect(code).toBe(0);
    const names = (JSON.parse(stdout).plugins as { name: string }[]).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['fixture-direct', 'fixture-check-a', 'fixture-check-b']));
  });
});
