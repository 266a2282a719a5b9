import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findBinaries } from './binaries.js';
import { type Binaries, envFor } from './binaries-location.js';
import { copyTemplate, initdb, SUPERUSER } from './data-directory.js';
import { freePort } from './free-port.js';
import type { SandboxOptions } from './sandbox-options.js';
import { writeConfig } from './server-config.js';
import { reachableBinaries } from './source-built.js';
import { type RunAs, unprivilegedUser } from './unprivileged-user.js';
import { STOPPED_MARK, WATCHDOG_SCRIPT } from './watchdog.js';

export interface SandboxConnection {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** For node-postgres: a server with `tls` is reached encrypted (its pg_hba may refuse plaintext). */
  ssl?: { rejectUnauthorized: false };
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
