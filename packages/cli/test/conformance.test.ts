import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliResult, REPO, tempDir } from './run-cli.js';

/** The real CLI, given the minutes a suite on sandbox servers may take on a loaded machine. */
function runCli(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(REPO, 'packages/cli/bin/pgshift.mjs'), ...args],
      // Reports are kept under $PGSHIFT_HOME: a test's, not the user's.
      {
        cwd: REPO,
        env: { ...process.env, PGSHIFT_HOME: home },
        timeout: 280_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

const tmp = tempDir();
const home = join(tmp.dir, 'home');
afterAll(() => tmp.cleanup());

interface Report {
  ok: boolean;
  summary: { passed: number; failed: number; skipped: number };
  tests: Array<{ name: string; outcome: string; reason?: string }>;
}

describe('pgshift conformance', { timeout: 300_000 }, () => {
  it('fails a loader that drops NULLs on the NULL test, prints the report and writes it as JSON', async () => {
    const json = join(tmp.dir, 'drops-nulls.json');
    const result = await runCli([
      'conformance',
      join(REPO, 'conformance/reference/loader-drops-nulls'),
      '--pg',
      '17',
      '--json',
      json,
    ]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/FAIL .*loader \[loader\.data\] keeps every NULL a NULL/);
    expect(result.stdout).toMatch(/PASS .*loader \[loader\.schema\]/);
    expect(result.stdout).toMatch(/NOT conformant/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.ok).toBe(false);
    const nulls = report.tests.find((t) => t.name.includes('keeps every NULL a NULL'));
    expect(nulls?.outcome).toBe('failed');
    expect(nulls?.reason).toContain('public.kinds.t');
  });

  it('passes a first-party version policy named by its plugin name, exit 0', async () => {
    const json = join(tmp.dir, 'policy.json');
    const result = await runCli(['conformance', 'policy-pg10', '--pg', '17', '--json', json]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.ok).toBe(true);
    expect(report.summary.failed).toBe(0);
    expect(report.summary.passed).toBeGreaterThan(3);
    // Kept by the plugin's name too, where `pgshift plugins` finds its status.
    const kept = join(home, 'conformance', 'policy-pg10.json');
    expect(existsSync(kept)).toBe(true);
    const listed = JSON.parse((await runCli(['plugins', '--json'])).stdout) as Array<{
      name: string;
      conformance?: { ok: boolean; summary: { failed: number } };
    }>;
    expect(listed.find((r) => r.name === 'policy-pg10')?.conformance).toMatchObject({
      ok: true,
      summary: { failed: 0 },
    });
  });

  it('reports what it skipped with the reason, and rejects a plugin it cannot find with the places tried', async () => {
    const checker = await runCli(['conformance', 'check-wal-level', '--json', join(tmp.dir, 'checker.json')]);
    expect(checker.code, checker.stdout + checker.stderr).toBe(0);
    expect(checker.stdout).toMatch(
      /SKIP .*checker \[server tests\] need the author's pass\/warn\/fail arrangements/,
    );
    const missing = await runCli(['conformance', './no-such-plugin']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no-such-plugin/);
  });
});
