/**
 * bench/cli-start: how soon the CLI gets to work. For each way of running pgshift, --rounds (10)
 * times each: `pgshift --version` from spawn to exit, and `pgshift check -c FILE` from spawn to
 * its first query at the source (a relay in front of the server notes it), then to its exit.
 *
 *   pnpm --filter @pgshift/bench cli-start -- --rounds 10
 *
 * Ways: the checkout's TypeScript through tsx (PGSHIFT_FROM_SOURCE=1), the checkout's build
 * (`pnpm build` first), and any others given as --also 'label=/path/to/bin/pgshift.mjs,...' (an
 * npm-installed tarball's bin, another checkout's). Options: --rounds N, --also LIST, --no-doc.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { numberArg, parseArgs } from './args.js';
import { FirstQueryProxy } from './first-query-proxy.js';
import { machineFacts, machineLines } from './machine.js';
import { CLI_BIN } from './pgshift/full-copy-step.js';
import { REPO_ROOT } from './pgshift/plugin-host.js';
import { markdownTable, writeSection } from './report.js';
import { ServerSet } from './servers.js';

export interface Way {
  label: string;
  bin: string;
  env?: Record<string, string>;
}

export interface WayResult {
  label: string;
  /** Seconds per round. */
  version: number[];
  firstQuery: number[];
  checkExit: number[];
  failures: string[];
}

/** Runs `node bin args`; resolves with the seconds from spawn to exit and to `mark` (if it came). */
function timed(
  way: Way,
  args: string[],
  mark?: Promise<number>,
): Promise<{ exit: number; mark?: number; code: number | null; output: string }> {
  return new Promise((done) => {
    const started = performance.now();
    let marked: number | undefined;
    void mark?.then((at) => {
      marked = (at - started) / 1000;
    });
    const child = spawn(process.execPath, [way.bin, ...args], {
      env: { ...process.env, ...way.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-2000);
    });
    child.stderr.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-2000);
    });
    child.on('close', (code) => {
      const exit = (performance.now() - started) / 1000;
      done({ exit, code, output, ...(marked === undefined ? {} : { mark: marked }) });
    });
  });
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Measures every way, rounds interleaved so a burst of load falls on all of them alike. */
export async function cliStart(
  ways: Way[],
  rounds: number,
  configFile: string,
  proxy: FirstQueryProxy,
): Promise<WayResult[]> {
  const results = ways.map((w) => ({
    label: w.label,
    version: [],
    firstQuery: [],
    checkExit: [],
    failures: [],
  })) as WayResult[];
  for (let round = 0; round < rounds; round++) {
    for (const [i, way] of ways.entries()) {
      const result = results[i] as WayResult;
      const version = await timed(way, ['--version']);
      if (version.code === 0) result.version.push(version.exit);
      else result.failures.push(`--version exit ${version.code}: ${version.output.trim()}`);
      const check = await timed(way, ['check', '-c', configFile], proxy.nextFirstQuery());
      if (check.mark !== undefined) result.firstQuery.push(check.mark);
      else result.failures.push(`check made no query (exit ${check.code}): ${check.output.trim()}`);
      if (check.code === 0) result.checkExit.push(check.exit);
    }
  }
  return results;
}

function figures(values: number[]): string {
  const m = median(values);
  if (m === undefined) return '-';
  return `${m.toFixed(2)} s (${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)})`;
}

/** An argument as a shell would need it. */
function quoted(arg: string): string {
  return /^[\w./=:,-]+$/.test(arg) ? arg : `'${arg}'`;
}

function parseAlso(raw: string | undefined): Way[] {
  if (!raw) return [];
  return raw.split(',').map((item) => {
    const at = item.indexOf('=');
    if (at <= 0) throw new Error(`--also takes label=path pairs, got ${item}`);
    return { label: item.slice(0, at), bin: item.slice(at + 1) };
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const rounds = numberArg(args, 'rounds', 10);
  const build = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'build-cli.ts')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`pnpm build failed: ${build.stderr}`);
  const ways: Way[] = [
    { label: 'checkout, TypeScript through tsx', bin: CLI_BIN, env: { PGSHIFT_FROM_SOURCE: '1' } },
    { label: 'checkout, built (pnpm build)', bin: CLI_BIN },
    ...parseAlso(args.get('also')),
  ];
  const servers = new ServerSet(false);
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-bench-start-'));
  let proxy: FirstQueryProxy | undefined;
  try {
    const server = await servers.start('source and target');
    const facts = await machineFacts(server);
    proxy = await FirstQueryProxy.start({ host: server.host, port: server.port });
    const side = (port: number) => ({
      access: 'public-ip',
      host: '127.0.0.1',
      port,
      user: server.user,
      password: { env: 'PGSHIFT_BENCH_PASSWORD' },
      database: 'postgres',
      tls: { sslmode: 'disable' },
    });
    const config = {
      task: { name: 'bench-cli-start' },
      source: side(proxy.port),
      target: side(server.port),
      objects: { databases: ['postgres'] },
      mode: 'full',
      options: { stateDir: join(dir, 'state') },
    };
    const configFile = join(dir, 'pgshift.yaml');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    process.env.PGSHIFT_BENCH_PASSWORD = 'unused';
    const results = await cliStart(ways, rounds, configFile, proxy);
    const head = ['way', '--version', 'check: first query', 'check: exit', 'rounds'];
    const rows = results.map((r) => [
      r.label,
      figures(r.version),
      figures(r.firstQuery),
      figures(r.checkExit),
      String(rounds),
    ]);
    const failures = results.flatMap((r) => r.failures.map((f) => `- ${r.label}: ${f.split('\n')[0]}`));
    const body = [
      '## CLI start',
      '',
      `Command: \`pnpm --filter @pgshift/bench cli-start -- ${process.argv.slice(2).map(quoted).join(' ')}\``,
      '',
      ...machineLines(facts).slice(0, 2),
      `- Each way runs \`pgshift --version\` (spawn to exit) and \`pgshift check -c FILE\` (spawn to its first query at the source, seen by a relay in front of the server, then to exit; ${config.objects.databases.length} database, public-ip, sandbox ${facts.postgres}), the ways taking turns each round; medians with the range in brackets.`,
      '',
      markdownTable(head, rows),
      '',
      '- checkout, TypeScript through tsx: the bin with `PGSHIFT_FROM_SOURCE=1`, as after an edit before `pnpm build`; checkout, built: what `pnpm pgshift` runs after `pnpm install`; an installed tarball runs its bundle the same way, with no module hooks until a plugin it does not carry is loaded.',
      ...(failures.length > 0 ? ['', ...failures] : []),
    ].join('\n');
    console.log(body);
    if (!args.has('no-doc')) writeSection('cli-start', body);
  } finally {
    await proxy?.stop();
    await servers.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
