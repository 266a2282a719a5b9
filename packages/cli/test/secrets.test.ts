import { join } from 'node:path';
import { freePort } from '@pgshift/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { KERNEL_FIXTURES, runCli, tempDir } from './run-cli.js';

// Distinctive values, so a grep of the output cannot match anything else.
const INLINE = 'inline-Pw-7f3a9c!';
const FROM_ENV = 'env-Pw-41d8e2#';
const TOKEN = 'tok-Pw-0b5c66';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function config(name: string, port: number, extraPlugins = '') {
  return tmp.write(
    `${name}.yaml`,
    `task: { name: ${name} }
source: { access: fixture-direct, host: 127.0.0.1, port: ${port}, user: app, password: "${INLINE}", failOpen: true }
target: { access: fixture-direct, host: 127.0.0.1, port: ${port}, user: app, password: { env: PGSHIFT_TEST_SECRET } }
plugins:
  - "${join(KERNEL_FIXTURES, 'fixture-direct')}"
${extraPlugins}`,
  );
}

function expectNoSecret(output: string) {
  for (const secret of [INLINE, FROM_ENV, TOKEN, encodeURIComponent(INLINE), encodeURIComponent(FROM_ENV)])
    expect(output).not.toContain(secret);
}

describe('secrets stay out of every output', () => {
  const env = { PGSHIFT_TEST_SECRET: FROM_ENV };

  it('config validate --verbose', async () => {
    const { code, stdout, stderr } = await runCli(
      ['--verbose', 'config', 'validate', '-c', config('v', 5432)],
      env,
    );
    expect(code).toBe(0);
    expectNoSecret(stdout + stderr);
  });

  it('check against an unreachable host, whose plugin logs and throws with the password', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await runCli(['--verbose', 'check', '-c', config('c', port)], env);
    expect(code).toBe(1);
    // The careless fixture did try to print both passwords: once in a log line, once in an error.
    expect(stderr).toContain('opening route for app with password [redacted]');
    expect(stdout).toContain('could not open postgres://app:[redacted]@127.0.0.1');
    expect(stdout).toMatch(/FAILED\s+target\.connection\s+cannot connect to the target: .*ECONNREFUSED/);
    expectNoSecret(stdout + stderr);
    const json = await runCli(['check', '--json', '-c', config('c', port)], env);
    expect(JSON.parse(json.stdout).summary.failed).toBe(2);
    expectNoSecret(json.stdout + json.stderr);
  });

  it('an error message, with and without --verbose', async () => {
    const file = config(
      'e',
      5432,
      `  - { use: "${join(KERNEL_FIXTURES, 'fixture-check-a')}", options: { explode: true, token: "${TOKEN}" } }\n`,
    );
    for (const args of [
      ['config', 'validate', '-c', file],
      ['--verbose', 'check', '-c', file],
    ]) {
      const { code, stdout, stderr } = await runCli(args, env);
      expect(code).toBe(1);
      expect(stderr).toContain(
        'error[PGSHIFT_PLUGIN_LOAD]: plugin fixture-check-a failed to register: cannot register with token [redacted]',
      );
      expectNoSecret(stdout + stderr);
    }
  });
});
