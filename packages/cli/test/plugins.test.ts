import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, REPO, runCli, tempDir } from './run-cli.js';

/** The workspace's plugin packages, read from their package.json markers. */
function pluginPackages(): string[] {
  const dir = join(REPO, 'plugins');
  return readdirSync(dir).flatMap((name) => {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8'));
      return pkg.pgshift?.plugin ? [pkg.name as string] : [];
    } catch {
      return [];
    }
  });
}

describe('pgshift plugins', () => {
  let listing: CliResult;
  const home = tempDir();
  afterAll(() => home.cleanup());
  beforeAll(async () => {
    listing = await runCli(['plugins', '--json']);
  });

  it('--json lists every plugin package present with name, kind, version, capabilities and source', () => {
    const { code, stdout } = listing;
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<Record<string, unknown>>;
    for (const row of rows) {
      expect(row).toEqual(
        expect.objectContaining({
          name: expect.any(String),
          kind: expect.any(String),
          version: expect.any(String),
          capabilities: expect.any(Array),
          source: expect.any(String),
        }),
      );
    }
    const sources = rows.map((r) => r.source);
    for (const pkg of pluginPackages()) expect(sources).toContain(pkg);
  });

  it('loads every first-party plugin under the real CLI (plain Node ESM through tsx, not vitest)', () => {
    const broken = (JSON.parse(listing.stdout) as Array<{ source: string; error?: string }>)
      .filter((r) => r.error)
      .map((r) => `${r.source}: ${r.error}`);
    expect(broken).toEqual([]);
  });

  it('-c lists the plugins a task config loads, third-party ones included', async () => {
    const { code, stdout } = await runCli(
      ['plugins', '--json', '-c', join(REPO, 'packages/kernel/test/fixtures/pgshift.config.ts')],
      { PGSHIFT_TEST_TS_PASSWORD: 'x-pw-2' },
    );
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<{ name: string; kind: string; source: string }>;
    expect(rows.find((r) => r.name === 'fixture-direct')).toMatchObject({ kind: 'connector' });
    expect(rows.find((r) => r.name === 'fixture-check-b')?.source).toContain('fixture-check-b');
  });

  it('shows the status of the last conformance run kept in $PGSHIFT_HOME/conformance', async () => {
    const rows = JSON.parse(listing.stdout) as Array<{ name: string; conformance?: unknown }>;
    const [tested, untested] = rows;
    if (!tested || !untested) throw new Error('expected two plugins at least');
    expect(tested.conformance).toBeUndefined();
    mkdirSync(join(home.dir, 'conformance'));
    writeFileSync(
      join(home.dir, 'conformance', `${tested.name}.json`),
      JSON.stringify({
        plugin: tested.name,
        ok: false,
        at: '2026-01-02T03:04:05.000Z',
        summary: { passed: 5, failed: 1, skipped: 2 },
        tests: [],
        errors: [],
      }),
    );
    const { code, stdout } = await runCli(['plugins', '--json'], { PGSHIFT_HOME: home.dir });
    expect(code).toBe(0);
    const again = JSON.parse(stdout) as Array<{ name: string; conformance?: unknown }>;
    expect(again.find((r) => r.name === tested.name)?.conformance).toEqual({
      ok: false,
      at: '2026-01-02T03:04:05.000Z',
      summary: { passed: 5, failed: 1, skipped: 2 },
    });
    expect(again.find((r) => r.name === untested.name)?.conformance).toBeUndefined();
    const plain = await runCli(['plugins'], { PGSHIFT_HOME: home.dir });
    expect(plain.stdout).toMatch(/CONFORMANCE/);
    expect(plain.stdout).toContain('FAIL 2026-01-02');
  });
});
