import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './run-cli.js';

// Every kind, installed with no registry, tested and used in a migration, is in
// e2e/packed-install.test.ts (from the packed CLI); here, the checkout's own create-plugin.
const VERSION = (
  JSON.parse(readFileSync(join(REPO, 'packages/plugin-api/package.json'), 'utf8')) as { version: string }
).version;

// Outside the repository, as a third-party author's checkout would be.
const root = mkdtempSync(join(tmpdir(), 'pgshift-create-plugin-'));

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('pgshift create-plugin', () => {
  it('refuses a directory that is not empty and an invalid package name', async () => {
    const bad = await runCli(['create-plugin', '--kind', 'checker', 'Not Valid', join(root, 'bad')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/not a valid npm package name/);
    const full = join(root, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    const taken = await runCli(['create-plugin', '--kind', 'checker', 'acme-x', full]);
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toMatch(/is not empty/);
    expect(readFileSync(join(full, 'keep.txt'), 'utf8')).toBe('mine');
    const kind = await runCli(['create-plugin', '--kind', 'teleporter', 'x', join(root, 'x')]);
    expect(kind.code).not.toBe(0);
  });

  it('from a checkout: writes the kit it builds and depends on it by file: path, or on published ranges with --published', async () => {
    const dir = join(root, 'acme-checker');
    const created = await runCli(['create-plugin', '--kind', 'checker', 'acme-checker', dir]);
    expect(created.code, created.stderr).toBe(0);
    expect(readdirSync(join(dir, 'pgshift-kit')).sort()).toEqual([
      `pgshift-conformance-${VERSION}.tgz`,
      `pgshift-plugin-api-${VERSION}.tgz`,
    ]);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.devDependencies['@pgshift/conformance']).toBe(
      `file:pgshift-kit/pgshift-conformance-${VERSION}.tgz`,
    );
    expect(pkg.peerDependencies['@pgshift/plugin-api']).toBe(`^${VERSION}`);
    expect(pkg.pgshift).toMatchObject({ plugin: true, name: 'acme-checker' });

    const published = join(root, 'acme-published');
    const other = await runCli([
      'create-plugin',
      '--kind',
      'loader',
      'acme-published',
      published,
      '--published',
    ]);
    expect(other.code, other.stderr).toBe(0);
    expect(existsSync(join(published, 'pgshift-kit'))).toBe(false);
    const publishedPkg = JSON.parse(readFileSync(join(published, 'package.json'), 'utf8'));
    expect(publishedPkg.devDependencies['@pgshift/plugin-api']).toBe(`^${VERSION}`);
  });

  it("pgshift conformance runs the scaffold's own test before its install, with the arrangements it gives", async () => {
    const result = await runCli(['conformance', join(root, 'acme-checker')]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/PASS .*reports Failed on a server arranged to fail/);
    expect(result.stdout).toMatch(/\d+ passed, 0 failed, \d+ skipped — conformant/);
  });
});
