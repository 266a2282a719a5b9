import {
  createServerHandle,
  directRoute,
  fixedSettingsSql,
  openClient,
  qualified,
  quoteIdent,
} from '@pgshift/pg';
import type { ServerHandle, ServerRole, TableRef } from '@pgshift/plugin-api';
import { type Binaries, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/** A source and a target server of one major, started once per describe block. */
export class ServerPair {
  source!: SandboxServer;
  target!: SandboxServer;
  readonly #major: number;
  readonly #binaries: Binaries | undefined;

  /** `binaries`: run these (e.g. a system PostgreSQL with extra output plugins) instead of npm's. */
  constructor(major: number, binaries?: Binaries) {
    this.#major = major;
    this.#binaries = binaries;
  }

  get major(): number {
    return this.#major;
  }

  async start(): Promise<void> {
    const options = { major: this.#major, ...(this.#binaries ? { binaries: this.#binaries } : {}) };
    [this.source, this.target] = await Promise.all([startPostgres(options), startPostgres(options)]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.source?.stop(), this.target?.stop()]);
  }

  /** The same fresh database on both servers. */
  async database(name: string): Promise<void> {
    for (const server of [this.source, this.target]) {
      await server.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      await server.query(`CREATE DATABASE ${quoteIdent(name)}`);
    }
  }

  handle(role: ServerRole, database: string): ServerHandle {
    const c = (role === 'source' ? this.source : this.target).connection();
    return createServerHandle(
      role,
      directRoute({
        host: c.host,
        port: c.port,
        user: c.user,
        ...(c.password ? { password: c.password } : {}),
      }),
      database,
    );
  }

  open(role: ServerRole, database: string): Promise<pg.Client> {
    return openClient({ ...(role === 'source' ? this.source : this.target).connection(database) });
  }

  async run(role: ServerRole, database: string, sql: string): Promise<void> {
    const client = await this.open(role, database);
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

/** Settings under which a row's text is the same on every server of one major (pgshift's own). */
export const FIXED_SETTINGS = fixedSettingsSql();

/**
 * An md5 of every row's text, computed on the server and sorted: the multiset of rows, with
 * duplicates, independent of any client-side conversion.
 */
export async function rowHashes(client: pg.Client, table: TableRef): Promise<string[]> {
  await client.query(FIXED_SETTINGS);
  const { rows } = await client.query(
    `SELECT md5(t::text) AS h FROM ${qualified(table.schema, table.name)} AS t ORDER BY 1`,
  );
  return rows.map((r) => r.h as string);
}

/** Per table, how many rows each side has that the other lacks (0 and 0 = identical). */
export function multisetDifference(a: string[], b: string[]): { onlyA: number; onlyB: number } {
  const counts = new Map<string, number>();
  for (const h of a) counts.set(h, (counts.get(h) ?? 0) + 1);
  let onlyB = 0;
  for (const h of b) {
    const n = counts.get(h) ?? 0;
    if (n > 0) counts.set(h, n - 1);
    else onlyB++;
  }
  let onlyA = 0;
  for (const n of counts.values()) onlyA += n;
  return { onlyA, onlyB };
}

/**
 * A source/target pair for one major, started by the first test that needs it (so a plugin that
 * declares none of the capabilities starts no server) and stopped after the suite, plus the
 * plugin's declared capabilities, read before the tests run. Call inside a `describe`.
 */
export function lazyServerPair(
  major: number,
  declaredCapabilities: () => Promise<readonly string[]>,
  binaries?: Binaries,
): { pair: ServerPair; ensure(): Promise<void>; capabilities(): readonly string[] } {
  const pair = new ServerPair(major, binaries);
  let capabilities: readonly string[] = [];
  let started = false;
  beforeAll(async () => {
    capabilities = await declaredCapabilities();
  });
  afterAll(async () => {
    if (started) await pair.stop();
  });
  return {
    pair,
    async ensure() {
      if (!started) {
        started = true;
        await pair.start();
      }
    },
    capabilities: () => capabilities,
  };
}
