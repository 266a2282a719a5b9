import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { majorHasFeature } from '@pgshift/pg';
import pg from 'pg';
import { findBinaries } from './binaries.js';
import type { Binaries } from './binaries-location.js';
import { freePort } from './free-port.js';
import { reachableBinaries } from './source-built.js';
import { type RunAs, unprivilegedUser } from './unprivileged-user.js';
import { STOPPED_MARK, WATCHDOG_SCRIPT } from './watchdog.js';

const execFileAsync = promisify(execFile);

export interface SandboxOptions {
  major: number;
  /** postgresql.conf settings, added after the sandbox defaults (so they win). */
  settings?: Record<string, string | number | boolean>;
  /** Replaces pg_hba.conf with these lines. Absent: initdb's default, which allows replication. */
  hba?: string[];
  /** Superuser password; when given, TCP connections must authenticate with it (scram or md5). */
  password?: string;
  /** Keep fsync and full-page writes on (benchmarks). Tests turn them off for speed. */
  durable?: boolean;
  /** Locale for initdb; `C` by default so tests do not depend on the machine's locales. */
  locale?: string;
  /** Binaries of `major` to run instead of the npm ones, e.g. `systemBinaries(15)`. */
  binaries?: Binaries;
  /**
   * A stopped data directory of `major` to start a copy of instead of running initdb (e.g. the
   * cluster PostgreSQL's regression suite left, see regression-database.ts). The template is
   * never changed; its superuser must be `postgres` and its pg_hba.conf must trust loopback.
   */
  dataTemplate?: string;
  /**
   * Serve TLS with this certificate and key (PEM text); `ca` is trusted for client certificates
   * (pg_hba's `cert` method). Without it the server offers no TLS.
   */
  tls?: { cert: string; key: string; ca?: string };
}

export interface SandboxConnection {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** For node-postgres: a server with `tls` is reached encrypted (its pg_hba may refuse plaintext). */
  ssl?: { rejectUnauthorized: false };
}

const SUPERUSER = 'postgres';

function baseSettings(
  major: number,
  port: number,
  durable: boolean,
): Record<string, string | number | boolean> {
  const logical = majorHasFeature(major, 'logicalDecoding');
  return {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: '',
    max_connections: 100,
    wal_level: logical ? 'logical' : 'hot_standby',
    ...(logical ? { max_replication_slots: 16 } : {}),
    max_wal_senders: 16,
    shared_buffers: '128MB',
    fsync: durable,
    full_page_writes: durable,
    synchronous_commit: durable ? 'on' : 'off',
    log_min_messages: 'warning',
    log_line_prefix: "'%m [%p] '",
    timezone: "'UTC'",
  };
}

function renderSetting(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return String(value);
  return value.startsWith("'") ? value : `'${value.replaceAll("'", "''")}'`;
}

/** A real PostgreSQL server in a temporary directory, owned by this process. */
export class SandboxServer {
  readonly major: number;
  readonly host = '127.0.0.1';
  readonly port: number;
  readonly user = SUPERUSER;
  readonly password: string | undefined;
  readonly baseDir: string;
  readonly dataDir: string;
  #process: ChildProcess;
  #exited: Promise<void>;
  #log: string[] = [];
  #stopped = false;
  /** Serves TLS (SandboxOptions.tls). */
  #tls = false;
  /** How many times the watchdog reported the postmaster stopped by `takeDown`. */
  #stops = 0;

  private constructor(
    major: number,
    port: number,
    password: string | undefined,
    baseDir: string,
    child: ChildProcess,
  ) {
    this.major = major;
    this.port = port;
    this.password = password;
    this.baseDir = baseDir;
    this.dataDir = join(baseDir, 'data');
    this.#process = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const keep = (chunk: Buffer) => {
      const lines = chunk.toString('utf8').split('\n').filter(Boolean);
      this.#stops += lines.filter((line) => line === STOPPED_MARK).length;
      this.#log.push(...lines);
      if (this.#log.length > 200) this.#log.splice(0, this.#log.length - 200);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(options: SandboxOptions): Promise<SandboxServer> {
    const runAs = unprivilegedUser();
    const binaries = reachableBinaries(options.binaries ?? findBinaries(options.major), runAs);
    if (binaries.major !== options.major)
      throw new Error(`binaries of PostgreSQL ${binaries.major} given for major ${options.major}`);
    const baseDir = mkdtempSync(join(tmpdir(), `pgshift-sandbox-${options.major}-`));
    try {
      if (runAs) chownSync(baseDir, runAs.uid, runAs.gid);
      if (options.dataTemplate) copyTemplate(options.dataTemplate, join(baseDir, 'data'), runAs);
      else await initdb(binaries, baseDir, options, runAs);
    } catch (error) {
      rmSync(baseDir, { recursive: true, force: true });
      throw error;
    }
    // A free port can be taken between probing and binding; try a few times.
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      writeConfig(baseDir, port, options, runAs);
      const child = spawnServer(binaries, baseDir, runAs);
      const server = new SandboxServer(options.major, port, options.password, baseDir, child);
      server.#tls = options.tls !== undefined;
      try {
        await server.#waitReady();
        return server;
      } catch (error) {
        lastError = error;
        await server.#kill(false);
        if (!server.#log.some((line) => line.includes('could not bind') || line.includes('in use'))) break;
      }
    }
    rmSync(baseDir, { recursive: true, force: true });
    throw lastError;
  }

  connection(database = 'postgres'): SandboxConnection {
    return {
      host: this.host,
      port: this.port,
      user: this.user,
      database,
      ...(this.password === undefined ? {} : { password: this.password }),
      ...(this.#tls ? { ssl: { rejectUnauthorized: false as const } } : {}),
    };
  }

  url(database = 'postgres'): string {
    const auth =
      this.password === undefined ? this.user : `${this.user}:${encodeURIComponent(this.password)}`;
    return `postgres://${auth}@${this.host}:${this.port}/${encodeURIComponent(database)}`;
  }

  /** Opens a connected client; the caller ends it. */
  async client(database = 'postgres'): Promise<pg.Client> {
    const client = new pg.Client(this.connection(database));
    await client.connect();
    return client;
  }

  /** Runs one statement (or several, without parameters) on a fresh connection. */
  async query<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
    database = 'postgres',
  ): Promise<R[]> {
    const client = await this.client(database);
    try {
      const result = await client.query<R>(text, values);
      // A multi-statement string returns an array of results; the last one is what callers want.
      const last = Array.isArray(result) ? (result.at(-1) as pg.QueryResult<R>) : result;
      return last?.rows ?? [];
    } finally {
      await client.end();
    }
  }

  async versionNum(): Promise<number> {
    const [row] = await this.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    return Number(row?.v);
  }

  /** Recent server log lines, for diagnosing a failure. */
  log(): string[] {
    return [...this.#log];
  }

  /** Stops the server and removes its directory. Safe to call more than once. */
  async stop(): Promise<void> {
    if (this.#stopped) return this.#exited;
    this.#stopped = true;
    await this.#kill(true);
  }

  /**
   * Takes the server down with a fast shutdown, as an administrator's restart would, keeping its
   * data and port; `bringUp` starts it again. Connections to it end as they do in production.
   */
  async takeDown(): Promise<void> {
    const stoppedBefore = this.#stops;
    this.#process.kill('SIGUSR1');
    const deadline = Date.now() + 30_000;
    while (this.#stops === stoppedBefore) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL ${this.major} did not stop within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Starts a server taken down by `takeDown` and waits until it accepts connections. */
  async bringUp(): Promise<void> {
    this.#process.kill('SIGUSR2');
    await this.#waitReady();
  }

  /** A restart: down, `downMs` without a server, up again. */
  async restart(downMs = 0): Promise<void> {
    await this.takeDown();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.bringUp();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  async #kill(graceful: boolean): Promise<void> {
    if (this.#process.exitCode === null && this.#process.signalCode === null) {
      this.#process.kill(graceful ? 'SIGTERM' : 'SIGHUP');
    }
    await this.#exited;
    // The watchdog removes the directory as the server's user; make sure nothing is left.
    rmSync(this.baseDir, { recursive: true, force: true });
  }

  async #waitReady(): Promise<void> {
    const deadline = Date.now() + 60_000;
    let exited = false;
    void this.#exited.then(() => {
      exited = true;
    });
    for (;;) {
      if (exited) throw new Error(`PostgreSQL ${this.major} exited during start:\n${this.#log.join('\n')}`);
      const client = new pg.Client({ ...this.connection(), connectionTimeoutMillis: 2000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
        return;
      } catch {
        await client.end().catch(() => {});
      }
      if (Date.now() > deadline)
        throw new Error(`PostgreSQL ${this.major} did not accept connections within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function envFor(binaries: Binaries): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, LD_LIBRARY_PATH: binaries.lib, LC_ALL: 'C', TZ: 'UTC' };
}

async function initdb(
  binaries: Binaries,
  baseDir: string,
  options: SandboxOptions,
  runAs: RunAs | undefined,
) {
  const args = [
    '-D',
    join(baseDir, 'data'),
    '-U',
    SUPERUSER,
    '-E',
    'UTF8',
    `--locale=${options.locale ?? 'C'}`,
  ];
  const modern = majorHasFeature(options.major, 'initdbModernDefaults');
  args.push(modern ? '--no-sync' : '--nosync');
  if (options.password !== undefined) {
    const pwfile = join(baseDir, 'pwfile');
    writeFileSync(pwfile, `${options.password}\n`, { mode: 0o600 });
    if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
    args.push(
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      `--auth-host=${majorHasFeature(options.major, 'scramAuthentication') ? 'scram-sha-256' : 'md5'}`,
    );
  } else {
    args.push('--auth=trust');
  }
  try {
    await execFileAsync(join(binaries.bin, 'initdb'), args, {
      env: envFor(binaries),
      cwd: baseDir,
      ...(runAs ?? {}),
    });
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`initdb for PostgreSQL ${options.major} failed: ${detail}`);
  } finally {
    rmSync(join(baseDir, 'pwfile'), { force: true });
  }
}

/** A private copy of a stopped cluster, owned by the server's user, as initdb would leave it. */
function copyTemplate(template: string, dataDir: string, runAs: RunAs | undefined): void {
  if (!existsSync(join(template, 'PG_VERSION')))
    throw new Error(`${template} is no PostgreSQL data directory (it has no PG_VERSION)`);
  cpSync(template, dataDir, { recursive: true });
  rmSync(join(dataDir, 'postmaster.pid'), { force: true });
  chmodSync(dataDir, 0o700);
  if (runAs) chownTree(dataDir, runAs);
}

function chownTree(dir: string, runAs: RunAs): void {
  chownSync(dir, runAs.uid, runAs.gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) chownTree(path, runAs);
    else chownSync(path, runAs.uid, runAs.gid);
  }
}

function writeConfig(baseDir: string, port: number, options: SandboxOptions, runAs: RunAs | undefined) {
  const dataDir = join(baseDir, 'data');
  const settings = {
    ...baseSettings(options.major, port, options.durable ?? false),
    ...(options.settings ?? {}),
  };
  if (options.password !== undefined && majorHasFeature(options.major, 'scramAuthentication'))
    settings.password_encryption = 'scram-sha-256';
  if (options.tls) writeTlsFiles(dataDir, options.tls, settings, runAs);
  const conf = Object.entries(settings)
    .map(([key, value]) => `${key} = ${renderSetting(value)}`)
    .join('\n');
  // postgresql.auto.conf (ALTER SYSTEM's file) is read from 9.4 on; 9.3 reads an included file.
  const autoConf = majorHasFeature(options.major, 'alterSystem');
  const confPath = join(dataDir, autoConf ? 'postgresql.auto.conf' : 'pgshift-sandbox.conf');
  writeFileSync(confPath, `# written by @pgshift/sandbox\n${conf}\n`);
  if (!autoConf) {
    const main = join(dataDir, 'postgresql.conf');
    const text = readFileSync(main, 'utf8');
    if (!text.includes("include 'pgshift-sandbox.conf'"))
      writeFileSync(main, `${text}\ninclude 'pgshift-sandbox.conf'\n`);
  }
  if (options.hba) writeFileSync(join(dataDir, 'pg_hba.conf'), `${options.hba.join('\n')}\n`);
  else if (!majorHasFeature(options.major, 'initdbModernDefaults')) {
    // initdb enables replication connections by default from 10 on; before, the lines are
    // commented out. Allow them the same way, so every major starts alike.
    const hba = join(dataDir, 'pg_hba.conf');
    const method = options.password === undefined ? 'trust' : 'md5';
    const text = readFileSync(hba, 'utf8');
    if (!text.includes('# pgshift-sandbox replication'))
      writeFileSync(
        hba,
        `${text}\n# pgshift-sandbox replication\nhost replication all 127.0.0.1/32 ${method}\n`,
      );
  }
  if (runAs) {
    chownSync(confPath, runAs.uid, runAs.gid);
    chownSync(join(dataDir, 'pg_hba.conf'), runAs.uid, runAs.gid);
  }
}

/** The server's certificate, key and client CA in its data directory, as ssl = on needs them. */
function writeTlsFiles(
  dataDir: string,
  tls: NonNullable<SandboxOptions['tls']>,
  settings: Record<string, string | number | boolean>,
  runAs: RunAs | undefined,
): void {
  const files: Array<[string, string, string]> = [
    ['server.crt', tls.cert, 'ssl_cert_file'],
    ['server.key', tls.key, 'ssl_key_file'],
  ];
  if (tls.ca) files.push(['root.crt', tls.ca, 'ssl_ca_file']);
  for (const [name, text, setting] of files) {
    const path = join(dataDir, name);
    // The server refuses a key others may read.
    writeFileSync(path, text, { mode: 0o600 });
    if (runAs) chownSync(path, runAs.uid, runAs.gid);
    settings[setting] = name;
  }
  settings.ssl = true;
}

function spawnServer(binaries: Binaries, baseDir: string, runAs: RunAs | undefined): ChildProcess {
  return spawn(
    '/bin/sh',
    [
      '-c',
      WATCHDOG_SCRIPT,
      'pgshift-sandbox',
      String(process.pid),
      baseDir,
      join(binaries.bin, 'postgres'),
      '-D',
      join(baseDir, 'data'),
    ],
    { env: envFor(binaries), cwd: baseDir, stdio: ['ignore', 'pipe', 'pipe'], ...(runAs ?? {}) },
  );
}

/** Reads the current pg_hba.conf of a running sandbox (for tests that edit it). */
export function readHba(server: SandboxServer): string {
  return readFileSync(join(server.dataDir, 'pg_hba.conf'), 'utf8');
}
