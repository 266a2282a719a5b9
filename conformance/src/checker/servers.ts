import { createServerHandle, directRoute, quoteIdent } from '@pgshift/pg';
import {
  type CheckContext,
  type MigrationMode,
  type ResolvedDatabase,
  type ResolvedSelection,
  type ServerHandle,
  type ServerRole,
  silentLogger,
  type TableRef,
  type VersionPolicy,
} from '@pgshift/plugin-api';
import { type SandboxOptions, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { standInPolicy } from './stand-in-policy.js';

export type ServerSpec = Partial<SandboxOptions>;

/** A database to select: its name alone (every table) or with the tables to select. */
export type DatabaseSpec = string | { name: string; tables: Array<TableRef | `${string}.${string}`> };

export interface ContextSpec {
  /** Default: the pool's `source` server. */
  source?: SandboxServer;
  /** Default: the pool's `target` server. */
  target?: SandboxServer;
  /** Log in as this role instead of the superuser (created beforehand, e.g. with `role`). */
  sourceUser?: string;
  targetUser?: string;
  /** Default: `postgres`. */
  maintenanceDatabase?: string;
  databases?: DatabaseSpec[];
  wholeInstance?: boolean;
  mode?: MigrationMode;
  options?: Record<string, unknown>;
  policy?: VersionPolicy;
}

/**
 * The sandbox servers one suite (one test file) shares. Servers start on first use, by name, and
 * stop in the suite's afterAll; arrangements ask for what they need and reuse what exists.
 */
export class ConformanceServers {
  readonly major: number;
  readonly #servers = new Map<string, Promise<SandboxServer>>();
  readonly #databases = new Set<string>();
  readonly #cleanups: Array<() => Promise<void>> = [];

  constructor(major: number) {
    this.major = major;
  }

  /**
   * The server called `name`, started with `spec` the first time it is asked for (later specs are
   * ignored). `source` and `target` are the default pair.
   */
  server(name = 'source', spec: ServerSpec = {}): Promise<SandboxServer> {
    let server = this.#servers.get(name);
    if (!server) {
      server = startPostgres({ major: this.major, ...spec });
      // A failed start is reported by the test that asked; stopAll must not trip over it.
      server.catch(() => {});
      this.#servers.set(name, server);
    }
    return server;
  }

  /** Every server started so far. */
  async started(): Promise<SandboxServer[]> {
    const settled = await Promise.allSettled(this.#servers.values());
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  /** A plugin-facing handle on a sandbox server, as `user` (default: the superuser). */
  handle(role: ServerRole, server: SandboxServer, options: { user?: string; database?: string } = {}) {
    const connection = server.connection();
    const route = directRoute({
      host: connection.host,
      port: connection.port,
      user: options.user ?? connection.user,
      ...(connection.password === undefined ? {} : { password: connection.password }),
    });
    return createServerHandle(role, route, options.database ?? 'postgres');
  }

  /** Creates a database once per server and runs `setup` in it the first time. */
  async database(server: SandboxServer, name: string, setup?: string): Promise<void> {
    const key = `${server.port}/${name}`;
    if (this.#databases.has(key)) return;
    const [exists] = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists) await server.query(`CREATE DATABASE ${quoteIdent(name)}`);
    if (setup) await server.query(setup, undefined, name);
    this.#databases.add(key);
  }

  /** Creates a role once per server (`attributes` as in CREATE ROLE, e.g. `LOGIN NOREPLICATION`). */
  async role(server: SandboxServer, name: string, attributes = 'LOGIN'): Promise<void> {
    const [exists] = await server.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
    if (!exists) await server.query(`CREATE ROLE ${quoteIdent(name)} ${attributes}`);
  }

  /** Runs after the suite (e.g. ends a session an arrangement keeps open). */
  onCleanup(cleanup: () => Promise<void>): void {
    this.#cleanups.push(cleanup);
  }

  /** Builds the parts of a CheckContext an arrangement usually sets. */
  async context(spec: ContextSpec = {}): Promise<Partial<CheckContext>> {
    const source = spec.source ?? (await this.server('source'));
    const target = spec.target ?? (await this.server('target'));
    const maintenance = spec.maintenanceDatabase ?? 'postgres';
    const sourceHandle = this.handle('source', source, {
      ...(spec.sourceUser ? { user: spec.sourceUser } : {}),
      database: maintenance,
    });
    const targetHandle = this.handle('target', target, {
      ...(spec.targetUser ? { user: spec.targetUser } : {}),
      database: maintenance,
    });
    const policy = spec.policy ?? standInPolicy;
    const versionNum = await source.versionNum();
    return {
      source: sourceHandle,
      target: targetHandle,
      mode: spec.mode ?? 'full+incremental',
      selection: await resolveSelection(source, spec.databases ?? ['postgres'], spec.wholeInstance ?? false),
      policy,
      capabilities: policy.capabilities(versionNum),
      ...(spec.options ? { options: spec.options } : {}),
    };
  }

  /** A complete CheckContext on sandbox servers, for tests that call a checker directly. */
  async checkContext(spec: ContextSpec = {}): Promise<CheckContext> {
    const partial = await this.context(spec);
    return {
      mode: 'full+incremental',
      ...partial,
      options: spec.options ?? {},
      logger: silentLogger,
    } as CheckContext;
  }

  async cleanup(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  }

  async stopAll(): Promise<void> {
    await this.cleanup();
    const servers = await this.started();
    this.#servers.clear();
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** Resolves database specs against a sandbox server: named tables, or every table for a name alone. */
export async function resolveSelection(
  server: SandboxServer,
  databases: DatabaseSpec[],
  wholeInstance = false,
): Promise<ResolvedSelection> {
  const resolved: ResolvedDatabase[] = [];
  for (const spec of databases) {
    if (typeof spec === 'string') {
      const rows = await server.query<{ schema: string; name: string }>(
        `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            AND n.nspname NOT LIKE 'pg\\_%'
          ORDER BY 1, 2`,
        undefined,
        spec,
      );
      resolved.push({ name: spec, whole: true, tables: rows });
    } else {
      resolved.push({
        name: spec.name,
        whole: false,
        tables: spec.tables.map((t) => (typeof t === 'string' ? splitTable(t) : t)),
      });
    }
  }
  return { wholeInstance, databases: resolved };
}

function splitTable(text: string): TableRef {
  const dot = text.indexOf('.');
  return { schema: text.slice(0, dot), name: text.slice(dot + 1) };
}

/** A handle on a port where nothing listens, with a password that must never show in output. */
export function unreachableHandle(role: ServerRole, port: number, password: string): ServerHandle {
  const route = directRoute({
    host: '127.0.0.1',
    port,
    user: 'conformance',
    password,
    connectTimeoutMs: 3000,
  });
  return createServerHandle(role, route, 'postgres');
}
