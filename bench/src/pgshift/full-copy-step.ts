import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxServer } from '@pgshift/sandbox';
import { type Measured, runMeasured } from '../measure.js';
import { pluginEntry, REPO_ROOT } from './plugin-host.js';
import { type LoadSpec, parseChildResult } from './spec.js';

/** Seconds per stage, from the `stage` events of `pgshift run --json`. */
class StageClock {
  readonly #started = new Map<string, number>();
  readonly #took: Record<string, number> = {};
  /** Seconds from the start of the copy until each table's rows were in. */
  readonly #tableDone: Record<string, number> = {};

  line(line: string): void {
    if (!line.startsWith('{') || !(line.includes('"stage"') || line.includes('"table-progress"'))) return;
    try {
      const event = JSON.parse(line) as {
        type?: string;
        stage?: string;
        state?: string;
        at?: string;
        table?: string;
        done?: boolean;
      };
      if (event.type === 'table-progress' && event.done && event.table && event.at) {
        const from = this.#started.get('full-copy');
        if (from !== undefined)
          this.#tableDone[event.table.replaceAll('"', '')] = (Date.parse(event.at) - from) / 1000;
        return;
      }
      if (event.type !== 'stage' || !event.stage || !event.at) return;
      const at = Date.parse(event.at);
      if (event.state === 'started') this.#started.set(event.stage, at);
      else {
        const from = this.#started.get(event.stage);
        if (from !== undefined) this.#took[event.stage] = (this.#took[event.stage] ?? 0) + (at - from) / 1000;
      }
    } catch {
      // not an event line
    }
  }

  seconds(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.#took).map(([k, v]) => [k, Math.round(v * 100) / 100]));
  }

  /** The three tables that finished last: the copy's critical path. */
  lastTables(): Record<string, number> {
    const last = Object.entries(this.#tableDone)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    return Object.fromEntries(last.map(([k, v]) => [k, Math.round(v * 10) / 10]));
  }
}

export const CLI_BIN = join(REPO_ROOT, 'packages', 'cli', 'bin', 'pgshift.mjs');
export const LOADER_DIR = join('plugins', 'loader-native');
const BENCH_DIR = join(REPO_ROOT, 'bench');

export interface PgshiftRun {
  /** How pgshift was driven: the CLI, or the loader plugin through its contract. */
  route: 'cli' | 'loader';
  measured: Measured;
  /** Seconds inside the loader child, without process start (loader route only). */
  innerSeconds?: number;
  /** What the loader child reported: seconds per phase, copy summary. */
  detail?: Record<string, unknown>;
  ok: boolean;
  error?: string;
}

export interface PgshiftFullCopyOptions {
  source: SandboxServer;
  target: SandboxServer;
  database: string;
  jobs: number;
  /** Undefined: the product's default (the config leaves the option out). */
  splitTableBytes: number | undefined;
  /** Where the CLI route writes its config, kept afterwards (default: a temp dir, removed). */
  configDir?: string;
  /** full (default) or full+incremental (the apply-scale benchmark follows after the copy). */
  mode?: 'full' | 'full+incremental';
  /** Options of the first-party replicator (replicator-logical), when not its defaults. */
  replicatorOptions?: Record<string, unknown>;
  /** The task's name (its slot is named after it): two tasks on one source need two names. */
  taskName?: string;
}

/** Which way pgshift can be run here, or why it cannot. */
export function pgshiftAvailability(): { cli: boolean; loaderEntry?: string; reason?: string } {
  const cli = existsSync(CLI_BIN);
  const loaderEntry = pluginEntry(LOADER_DIR);
  if (!cli && !loaderEntry)
    return {
      cli,
      reason: `neither the CLI (${CLI_BIN}) nor the loader plugin (${LOADER_DIR}) exists in this checkout`,
    };
  return { cli, ...(loaderEntry ? { loaderEntry } : {}) };
}

function endpoint(server: SandboxServer) {
  return { host: server.host, port: server.port, user: server.user };
}

/**
 * The task config the CLI runs with, mode full unless told, written as `pgshift.yaml` in `dir` (its state
 * directory under it); returns the file's path. The verify benchmark runs `pgshift verify` on it.
 */
export function writeCliConfig(dir: string, options: PgshiftFullCopyOptions): string {
  // The connector wants a password; the sandbox trusts 127.0.0.1, so a dummy given by
  // reference is enough and nothing secret is written.
  const side = (server: SandboxServer) => ({
    access: 'public-ip',
    ...endpoint(server),
    password: { env: 'PGSHIFT_BENCH_PASSWORD' },
    database: 'postgres',
  });
  const config = {
    task: { name: options.taskName ?? 'bench-full-copy' },
    source: side(options.source),
    target: side(options.target),
    objects: { databases: [options.database] },
    mode: options.mode ?? 'full',
    ...(options.replicatorOptions
      ? { plugins: [{ use: 'replicator-logical', options: options.replicatorOptions }] }
      : {}),
    options: {
      jobs: options.jobs,
      ...(options.splitTableBytes === undefined ? {} : { splitTableBytes: options.splitTableBytes }),
      stateDir: join(dir, 'state'),
    },
  };
  const path = join(dir, 'pgshift.yaml');
  writeFileSync(path, JSON.stringify(config, null, 2)); // JSON is YAML
  return path;
}

/** The environment the CLI runs in: the dummy password the config refers to. */
export const CLI_ENV = { PGSHIFT_BENCH_PASSWORD: 'unused-trust-auth' };

/**
 * `pgshift run -c <config> --no-verify` with mode full (the peers do not verify either; the
 * harness checks every copy itself); the config is written to a temp dir.
 */
async function viaCli(options: PgshiftFullCopyOptions): Promise<PgshiftRun> {
  const dir = options.configDir ?? mkdtempSync(join(tmpdir(), 'pgshift-bench-cli-'));
  try {
    const path = writeCliConfig(dir, options);
    const stages = new StageClock();
    const measured = await runMeasured(
      process.execPath,
      [
        // PGSHIFT_BENCH_CPU_PROF=DIR writes a V8 CPU profile of the CLI run there.
        ...(process.env.PGSHIFT_BENCH_CPU_PROF
          ? ['--cpu-prof', '--cpu-prof-dir', process.env.PGSHIFT_BENCH_CPU_PROF]
          : []),
        CLI_BIN,
        'run',
        '-c',
        path,
        '--no-verify',
        '--json',
      ],
      {
        cwd: dir,
        env: { ...process.env, ...CLI_ENV },
        onStdoutLine: (line) => stages.line(line),
      },
    );
    return {
      route: 'cli',
      measured,
      detail: { stageSeconds: stages.seconds(), tablesDoneLastSecondsIntoCopy: stages.lastTables() },
      ok: measured.exitCode === 0,
      ...(measured.exitCode === 0 ? {} : { error: measured.output }),
    };
  } finally {
    if (!options.configDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The loader plugin in a child process, through the Loader contract. */
async function viaLoader(options: PgshiftFullCopyOptions, loaderEntry: string): Promise<PgshiftRun> {
  // The loader's contract takes every option filled in; the product's defaults live in the CLI.
  if (options.splitTableBytes === undefined)
    throw new Error("the loader route needs an explicit --split-table-bytes (the default is the CLI's)");
  const spec: LoadSpec = {
    source: endpoint(options.source),
    target: endpoint(options.target),
    database: options.database,
    jobs: options.jobs,
    splitTableBytes: options.splitTableBytes,
    loaderEntry,
  };
  const child = join(BENCH_DIR, 'src', 'pgshift', 'load-child.ts');
  const measured = await runMeasured(process.execPath, ['--import', 'tsx', child, JSON.stringify(spec)], {
    cwd: BENCH_DIR,
  });
  const result = parseChildResult(measured.output);
  const ok = measured.exitCode === 0 && result?.ok === true;
  return {
    route: 'loader',
    measured,
    ...(result?.seconds ? { innerSeconds: result.seconds } : {}),
    ...(result?.detail ? { detail: result.detail } : {}),
    ok,
    ...(ok ? {} : { error: result?.error ?? measured.output }),
  };
}

/**
 * Runs pgshift's full copy. Prefers the CLI (the product's own path); `route` forces one.
 * The caller gives an empty target database of the source's name.
 */
export async function runPgshiftFullCopy(
  options: PgshiftFullCopyOptions,
  route: 'cli' | 'loader',
): Promise<PgshiftRun> {
  if (route === 'cli') return viaCli(options);
  const entry = pgshiftAvailability().loaderEntry;
  if (!entry) throw new Error(`the loader plugin ${LOADER_DIR} is not in this checkout`);
  return viaLoader(options, entry);
}
