import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './run-cli.js';

const KINDS = ['checker', 'connector', 'version-policy', 'loader', 'replicator'] as const;
type Kind = (typeof KINDS)[number];

/** The environment of a fresh shell: nothing of this vitest run leaks into the scaffold's own. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('VITEST') && !key.startsWith('PGSHIFT_') && key !== 'NODE_OPTIONS' && key !== 'TEST',
    ),
  );
}

function sh(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(
      cmd,
      args,
      { cwd, env: { ...cleanEnv(), CI: '1' }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        done({
          code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          out: `${stdout}\n${stderr}`,
        });
      },
    );
  });
}

// Outside the repository, as a third-party author's checkout would be.
const root = mkdtempSync(join(tmpdir(), 'pgshift-create-plugin-'));
const dirOf = (kind: Kind) => join(root, `acme-${kind}`);
const nameOf = (kind: Kind) => `acme-${kind}`;
let server: SandboxServer;
let target: SandboxServer;

beforeAll(async () => {
  [server, target] = await Promise.all([
    startPostgres({ major: 17, password: 'scaffold-pw' }),
    startPostgres({ major: 17, password: 'scaffold-pw' }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.stop(), target?.stop()]);
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

  for (const kind of KINDS) {
    it(`scaffolds a ${kind} outside the repo that installs and passes its own conformance test`, async () => {
      const created = await runCli([
        'create-plugin',
        '--kind',
        kind,
        nameOf(kind),
        dirOf(kind),
        '--link-workspace',
        REPO,
      ]);
      expect(created.code, created.stderr).toBe(0);
      const pkg = JSON.parse(readFileSync(join(dirOf(kind), 'package.json'), 'utf8'));
      expect(pkg.peerDependencies['@pgshift/plugin-api']).toBeDefined();
      expect(pkg.pgshift).toMatchObject({ plugin: true });
      expect(readFileSync(join(dirOf(kind), 'test/conformance.test.ts'), 'utf8')).toMatch(
        /describe[A-Z]\w+\(/,
      );
      const install = await sh('pnpm', ['install', '--offline'], dirOf(kind));
      expect(install.code, install.out).toBe(0);
      const test = await sh('pnpm', ['test'], dirOf(kind));
      expect(test.code, test.out).toBe(0);
      expect(test.out).toMatch(/Tests\s+.*\d+ passed/);
      expect(test.out).not.toMatch(/\d+ failed/);
    });
  }

  it('the scaffolded plugins load from a config file: listed by pgshift plugins, the connector and checker used by pgshift check', async () => {
    const c = server.connection();
    const config = join(root, 'task.yaml');
    writeFileSync(
      config,
      [
        'task: { name: scaffolded }',
        `source: { access: ${nameOf('connector')}, host: ${c.host}, port: ${c.port}, user: ${c.user}, password: { env: SCAFFOLD_PW } }`,
        `target: { access: public-ip, host: ${c.host}, port: ${c.port}, user: ${c.user}, password: { env: SCAFFOLD_PW } }`,
        'mode: full',
        `plugins: [${KINDS.filter((k) => k !== 'version-policy')
          .map((k) => `"./acme-${k}"`)
          .join(', ')}]`,
        '',
      ].join('\n'),
    );
    const env = { SCAFFOLD_PW: 'scaffold-pw' };
    const listed = await runCli(['plugins', '--json', '-c', config], env);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as Array<{ name: string; kind: string }>;
    for (const kind of KINDS.filter((k) => k !== 'version-policy'))
      expect(rows.find((r) => r.name === nameOf(kind))?.kind, kind).toBe(kind);
    const check = await runCli(['check', '--json', '-c', config], env);
    const report = JSON.parse(check.stdout) as { items: Array<{ id: string; status: string }> };
    const item = report.items.find((i) => i.id === `${nameOf('checker')}.max-connections`);
    expect(item?.status, check.stdout).toBe('pass');
    expect(check.stdout).not.toContain('scaffold-pw');
  });

  it('moves a database with pgshift run through the scaffolded connector (both sides) and the scaffolded loader named in plugins', async () => {
    await server.query('CREATE DATABASE shop');
    await server.query(
      "CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 500) g",
      [],
      'shop',
    );
    const [s, t] = [server.connection(), target.connection()];
    const config = join(root, 'migrate.yaml');
    writeFileSync(
      config,
      [
        'task: { name: scaffolded-run }',
        `source: { access: ${nameOf('connector')}, host: ${s.host}, port: ${s.port}, user: ${s.user}, password: { env: SCAFFOLD_PW } }`,
        `target: { access: ${nameOf('connector')}, host: ${t.host}, port: ${t.port}, user: ${t.user}, password: { env: SCAFFOLD_PW } }`,
        'objects: { databases: [shop] }',
        'mode: full',
        `options: { jobs: 2, stateDir: ${JSON.stringify(join(root, 'state'))} }`,
        `plugins: [${KINDS.filter((k) => k !== 'version-policy')
          .map((k) => `"./acme-${k}"`)
          .join(', ')}]`,
        '',
      ].join('\n'),
    );
    const run = await runCli(['run', '-c', config], { SCAFFOLD_PW: 'scaffold-pw' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await target.query('SELECT count(*)::int AS n FROM items', [], 'shop')).toEqual([{ n: 500 }]);
    expect(run.stdout + run.stderr).not.toContain('scaffold-pw');
  });
});
