import { applyStatements, type SchemaOptions, type SchemaPlan } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { copyDatabase, planSchema } from '../src/index.js';

/** Creates a database, connects to it (the client is added to `clients`) and runs `fixture`. */
export async function freshDatabase(
  server: SandboxServer,
  name: string,
  clients: pg.Client[],
  fixture: string[] = [],
): Promise<pg.Client> {
  await server.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  const client = await server.client(name);
  clients.push(client);
  for (const sql of fixture) await client.query(sql);
  return client;
}

/** Applies a plan in the loader's order: pre-data, each table's post-data, post-data. */
export async function applyPlan(target: pg.Client, plan: SchemaPlan): Promise<void> {
  await applyStatements(target, plan.preData);
  for (const statements of plan.tablePostData.values()) await applyStatements(target, statements);
  await applyStatements(target, plan.postData);
}

export async function one<T>(client: pg.Client, sql: string): Promise<T> {
  const { rows } = await client.query(sql);
  return rows[0] as T;
}

/**
 * Plans the whole schema of `source` (no owners, no grants unless asked), applies it to
 * `target` in the loader's order and returns the plan: the round trip every object-kind test
 * makes before comparing both sides.
 */
export async function copySchema(
  source: pg.Client,
  target: pg.Client,
  options: Partial<SchemaOptions> = {},
): Promise<SchemaPlan> {
  const plan = await planSchema(source, {}, { copyOwners: false, copyPrivileges: false, ...options });
  await applyPlan(target, plan);
  return plan;
}

/** Copies every table's rows from one sandbox database into another as a run's copy does. */
export async function copyRows(
  source: { server: SandboxServer; database: string },
  target: { server: SandboxServer; database: string },
): Promise<number> {
  const result = await copyDatabase({
    openSource: () => source.server.client(source.database),
    openTarget: () => target.server.client(target.database),
    database: source.database,
    jobs: 1,
    splitTableBytes: 1 << 30,
    onLostSnapshot: 'fail',
  });
  return result.rows;
}

/**
 * One server of `major` for a test file: started before its tests (then `setup` runs on it),
 * stopped after them with every client `database()` opened. `server()` is valid inside tests.
 */
export function serverForFile(
  major: number,
  setup: (server: SandboxServer) => Promise<unknown> = async () => {},
): { server(): SandboxServer; database(name: string, fixture?: string[]): Promise<pg.Client> } {
  let server: SandboxServer | undefined;
  const clients: pg.Client[] = [];
  beforeAll(async () => {
    server = await startPostgres({ major });
    await setup(server);
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    await server?.stop();
  });
  const started = () => {
    if (!server) throw new Error(`PostgreSQL ${major} was not started (use it inside a test)`);
    return server;
  };
  return {
    server: started,
    database: (name, fixture = []) => freshDatabase(started(), name, clients, fixture),
  };
}
