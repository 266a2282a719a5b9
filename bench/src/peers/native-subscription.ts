import { readFileSync } from 'node:fs';
import type { SandboxServer } from '@pgshift/sandbox';

export interface NativeSetup {
  source: SandboxServer;
  target: SandboxServer;
  sourceDatabase: string;
  targetDatabase: string;
  name: string;
  /** `schema.table` names to publish; absent = FOR ALL TABLES. */
  tables?: string[];
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * PostgreSQL's own logical replication: a publication of every table (or of `tables`) on the source, and a
 * subscription on the target that copies nothing and starts disabled. Its slot is created now,
 * so the source keeps the WAL of the backlog made before it is enabled.
 */
export async function createNativeSubscription(setup: NativeSetup): Promise<void> {
  await setup.source.query(
    `CREATE PUBLICATION ${ident(setup.name)} FOR ${
      setup.tables
        ? `TABLE ${setup.tables.map((t) => t.split('.').map(ident).join('.')).join(', ')}`
        : 'ALL TABLES'
    }`,
    undefined,
    setup.sourceDatabase,
  );
  const conninfo = `host=${setup.source.host} port=${setup.source.port} user=${setup.source.user} dbname=${setup.sourceDatabase}`;
  await setup.target.query(
    `CREATE SUBSCRIPTION ${ident(setup.name)} CONNECTION ${literal(conninfo)} PUBLICATION ${ident(setup.name)}
       WITH (copy_data = false, enabled = false, create_slot = true, slot_name = ${literal(setup.name)})`,
    undefined,
    setup.targetDatabase,
  );
}

/**
 * The private memory (RssAnon) of a server process: the apply worker's own, without the shared
 * buffers it touches, which every backend maps.
 */
function anonBytes(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^RssAnon:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // the worker ended
  }
}

/**
 * Enables the subscription and waits until the target holds `expectedHistoryRows` rows in
 * pgbench_history: every pgbench transaction inserts exactly one, last, and the subscription
 * applies in commit order, so equal counts mean the whole backlog is in.
 */
export async function catchUpNative(
  setup: NativeSetup,
  expectedHistoryRows: number,
  timeoutSeconds: number,
): Promise<{ seconds: number; workerPeakAnonBytes: number }> {
  const client = await setup.target.client(setup.targetDatabase);
  try {
    const started = process.hrtime.bigint();
    await client.query(`ALTER SUBSCRIPTION ${ident(setup.name)} ENABLE`);
    let worker: number | undefined;
    let peak = 0;
    for (;;) {
      const { rows } = await client.query<{ n: string; pid: number | null }>(
        `SELECT (SELECT count(*) FROM public.pgbench_history)::text AS n,
                (SELECT pid FROM pg_stat_subscription WHERE subname = $1 AND relid IS NULL LIMIT 1) AS pid`,
        [setup.name],
      );
      worker = rows[0]?.pid ?? worker;
      if (worker !== undefined) peak = Math.max(peak, anonBytes(worker));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (Number(rows[0]?.n) >= expectedHistoryRows) return { seconds, workerPeakAnonBytes: peak };
      if (seconds > timeoutSeconds)
        throw new Error(`native subscription not caught up within ${timeoutSeconds} s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}

/** Stops the subscription's worker so it does not run beside the next measurement. */
export async function disableNative(setup: NativeSetup): Promise<void> {
  await setup.target.query(
    `ALTER SUBSCRIPTION ${ident(setup.name)} DISABLE`,
    undefined,
    setup.targetDatabase,
  );
  // The worker leaves a moment later, and reports its statistics as it exits.
  for (let i = 0; i < 200; i++) {
    const rows = await setup.target.query<{ pid: number | null }>(
      'SELECT pid FROM pg_stat_subscription WHERE subname = $1',
      [setup.name],
      setup.targetDatabase,
    );
    if (rows.every((r) => r.pid === null)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
