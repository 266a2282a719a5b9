import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll } from 'vitest';
import { REPO, tempDir } from '../run-cli.js';

/** Writes a task config pointing at two sandbox servers. */
export function writeConfig(
  dir: ReturnType<typeof tempDir>,
  name: string,
  source: SandboxServer,
  target: SandboxServer,
  extra: {
    mode?: 'full' | 'full+incremental';
    databases?: string[];
    jobs?: number;
    splitTableBytes?: number;
    copyPrivileges?: boolean;
    /** Where pgshift reaches each server instead of its own address (a FaultProxy in front of it). */
    via?: { source?: { port: number }; target?: { port: number } };
    /** More `options:` lines, as written in YAML. */
    options?: Record<string, string | number>;
    /** `plugins:` entries (names or paths, or `{ use, options }`). */
    plugins?: (string | { use: string; options: Record<string, unknown> })[];
  } = {},
): string {
  const endpoint = (s: SandboxServer, via?: { port: number }) =>
    `  access: public-ip\n  host: ${s.host}\n  port: ${via?.port ?? s.port}\n  user: ${s.user}\n  password: not-needed-with-trust\n`;
  return dir.write(
    `${name}.yaml`,
    `task:\n  name: ${name}\nsource:\n${endpoint(source, extra.via?.source)}target:\n${endpoint(target, extra.via?.target)}` +
      `objects:\n  databases: [${(extra.databases ?? ['shop']).join(', ')}]\n` +
      `mode: ${extra.mode ?? 'full+incremental'}\n` +
      (extra.plugins ? `plugins: [${extra.plugins.map((p) => JSON.stringify(p)).join(', ')}]\n` : '') +
      `options:\n  jobs: ${extra.jobs ?? 2}\n  stateDir: ${join(dir.dir, `${name}-state`)}\n` +
      (extra.splitTableBytes ? `  splitTableBytes: ${extra.splitTableBytes}\n` : '') +
      (extra.copyPrivileges ? '  copyPrivileges: true\n' : '') +
      Object.entries(extra.options ?? {})
        .map(([key, value]) => `  ${key}: ${value}\n`)
        .join(''),
  );
}

export interface BackgroundRun {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `pgshift <args>` in the background, the way a user runs it in a terminal. */
export function startCli(args: string[], env: Record<string, string> = {}): BackgroundRun {
  const child = spawn(process.execPath, [join(REPO, 'packages/cli/bin/pgshift.mjs'), ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * Ends a background run as Ctrl-C would (SIGTERM), and kills it when it has not exited after
 * `graceMs`: an afterAll that calls this never leaves a process behind, even after a failure.
 */
export async function stopCli(run: BackgroundRun | undefined, graceMs = 20_000): Promise<void> {
  if (!run || run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), graceMs);
  await run.exited;
  clearTimeout(timer);
}

interface StateFile {
  status: string;
  stage: string;
  databases: Record<string, { phase: string; sequencesSyncedAt?: string }>;
}

/** The exit code, or an error with everything the process printed when it has not exited in time. */
export async function exitWithin(run: BackgroundRun, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms:\n${run.output()}`)), ms);
  });
  try {
    return await Promise.race([run.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Once the copy of database bulk (seedBulk) has committed some chunks on the target. */
export function someChunksCopied(target: SandboxServer): Promise<void> {
  return waitFor(
    'some chunks copied',
    async () => {
      const rows = await target
        .query<{ n: string }>(
          'SELECT count(*) AS n FROM pgshift.copy_progress WHERE done_at IS NOT NULL',
          [],
          'bulk',
        )
        .catch(() => [{ n: '0' }]);
      return Number(rows[0]?.n) > 0;
    },
    90_000,
  );
}

export function readState(stateDir: string): StateFile | undefined {
  const path = join(stateDir, 'state.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StateFile;
  } catch {
    return undefined;
  }
}

export async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * An independent comparison, on the servers: per table the row count and an md5 over the rows'
 * text in a fixed order, with settings that make both servers print values alike.
 */
export async function tableFingerprints(server: SandboxServer, database: string, tables: string[]) {
  const client = await server.client(database);
  try {
    await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3");
    const out: Record<string, { rows: number; md5: string | null }> = {};
    for (const table of tables) {
      const { rows } = await client.query<{ n: string; md5: string | null }>(
        `SELECT count(*) AS n, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM ${table} t`,
      );
      out[table] = { rows: Number(rows[0]?.n), md5: rows[0]?.md5 ?? null };
    }
    return out;
  } finally {
    await client.end();
  }
}

/** Duplicate keys on the target would show up here even if counts happened to match. */
export async function duplicateKeys(server: SandboxServer, database: string, table: string, key: string) {
  const rows = await server.query<{ n: string }>(
    `SELECT count(*) AS n FROM (SELECT ${key} FROM ${table} GROUP BY ${key} HAVING count(*) > 1) d`,
    [],
    database,
  );
  return Number(rows[0]?.n);
}

export { tempDir };

/**
 * Two PostgreSQL 17 servers for the tests of one describe block, the source with a database
 * `shop` made by `setup`, both stopped (and the temp dir removed) after the block.
 */
export function shopServers(setup: string) {
  const dir = tempDir();
  let pair: [SandboxServer, SandboxServer] | undefined;
  beforeAll(async () => {
    pair = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 17 })]);
    await pair[0].query('CREATE DATABASE shop');
    await pair[0].query(setup, [], 'shop');
  });
  afterAll(async () => {
    await Promise.all(pair?.map((server) => server.stop()) ?? []);
    dir.cleanup();
  });
  const started = () => {
    if (!pair) throw new Error('the servers start in beforeAll');
    return pair;
  };
  return {
    dir,
    get source(): SandboxServer {
      return started()[0];
    },
    get target(): SandboxServer {
      return started()[1];
    },
  };
}
