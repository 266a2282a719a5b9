import { type SandboxServer, startPostgres } from '@pgshift/sandbox';

/**
 * Settings every benchmark server gets, the same for all tools in a run. fsync stays on
 * (`durable`), so commit costs are real; checkpoints are spaced so that one landing inside a
 * timed run does not decide the result.
 */
export const BENCH_SETTINGS: Record<string, string | number | boolean> = {
  shared_buffers: '512MB',
  maintenance_work_mem: '256MB',
  work_mem: '16MB',
  max_wal_size: '8GB',
  checkpoint_timeout: '30min',
  max_connections: 100,
  max_replication_slots: 16,
  max_wal_senders: 16,
  max_worker_processes: 16,
  max_logical_replication_workers: 8,
  wal_level: 'logical',
};

export const BENCH_MAJOR = 15;

/** Starts servers one by one; `stopAll` stops every server started, even after a failure. */
export class ServerSet {
  readonly #servers: SandboxServer[] = [];
  /** fsync on; only the smoke tests turn it off, to stay quick. */
  readonly durable: boolean;

  constructor(durable = true) {
    this.durable = durable;
  }

  async start(label: string, major = BENCH_MAJOR): Promise<SandboxServer> {
    const server = await startPostgres({ major, durable: this.durable, settings: BENCH_SETTINGS });
    this.#servers.push(server);
    process.stderr.write(`started ${label}: PostgreSQL ${major} on 127.0.0.1:${server.port}\n`);
    return server;
  }

  async stopAll(): Promise<void> {
    const servers = this.#servers.splice(0);
    await Promise.allSettled(servers.map((s) => s.stop()));
  }
}

/** A libpq URI for a sandbox database (trust auth, no password). */
export function uri(server: SandboxServer, database: string): string {
  return server.url(database);
}

/** Drops a database (ending its sessions first) and creates it empty. */
export async function freshDatabase(server: SandboxServer, database: string, create = true): Promise<void> {
  await server.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
  const ident = `"${database.replaceAll('"', '""')}"`;
  await server.query(`DROP DATABASE IF EXISTS ${ident}`);
  if (create) await server.query(`CREATE DATABASE ${ident} TEMPLATE template0 ENCODING 'UTF8'`);
}

/** A checkpoint on each server, so no run pays for the previous run's dirty pages. */
export async function settle(...servers: SandboxServer[]): Promise<void> {
  for (const server of servers) await server.query('CHECKPOINT');
}
