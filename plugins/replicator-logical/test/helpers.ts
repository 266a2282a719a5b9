import { pipeline } from 'node:stream/promises';
import {
  compareLsn,
  createServerHandle,
  directRoute,
  qualified,
  quoteIdent,
  serverVersionNum,
  walInsertLsnSql,
} from '@pgshift/pg';
import {
  type DdlHandling,
  type DecoderFormat,
  type Logger,
  nullProgress,
  type ProgressEvent,
  type ReplicationContext,
  silentLogger,
  type TablePatterns,
  type TableRef,
} from '@pgshift/plugin-api';
import type { SandboxConnection, SandboxServer } from '@pgshift/sandbox';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Applier, type ApplierOptions } from '../src/applier.js';
import { LogicalReplicator } from '../src/logical-replicator.js';
import { TargetCatalog } from '../src/target-catalog.js';

export interface ContextSpec {
  source: SandboxConnection;
  target: SandboxConnection;
  database: string;
  format: DecoderFormat;
  slotName: string;
  tables?: TableRef[];
  sourceMajor: number;
  /** Tuning of the replicator under test (its plugin options). */
  options?: Record<string, unknown>;
  events?: ProgressEvent[];
  /** Schema changes followed (options.ddl); absent: not captured. */
  ddlHandling?: DdlHandling;
  /** The objects block's patterns, for tables created while following. */
  patterns?: TablePatterns;
}

/** A ReplicationContext for sandbox servers, reached directly. */
export function makeContext(spec: ContextSpec): ReplicationContext {
  const route = (c: SandboxConnection) =>
    directRoute({
      host: c.host,
      port: c.port,
      user: c.user,
      ...(c.password ? { password: c.password } : {}),
    });
  const events = spec.events;
  return {
    source: createServerHandle('source', route(spec.source), spec.database),
    target: createServerHandle('target', route(spec.target), spec.database),
    database: {
      name: spec.database,
      whole: spec.tables === undefined,
      tables: spec.tables ?? [],
      ...(spec.patterns ? { patterns: spec.patterns } : {}),
    },
    ...(spec.ddlHandling ? { ddl: spec.ddlHandling } : {}),
    decoder: {
      outputPlugin: spec.format,
      format: spec.format,
      publication: spec.format === 'pgoutput',
    },
    slotSnapshotSyntax:
      spec.sourceMajor >= 15 ? 'option-list' : spec.sourceMajor >= 10 ? 'keyword' : 'implicit',
    slotName: spec.slotName,
    publicationName: `pgshift_${spec.slotName}`,
    taskName: 'test',
    progress: events
      ? { emit: (e) => events.push({ ...e, at: new Date().toISOString() } as ProgressEvent) }
      : nullProgress,
    logger: silentLogger,
  };
}

export async function connect(c: SandboxConnection, database: string): Promise<pg.Client> {
  const client = new pg.Client({ ...c, database });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/**
 * The full copy in miniature: every table copied with COPY inside a REPEATABLE READ transaction
 * that imports the slot's exported snapshot.
 */
export async function copySnapshot(
  source: SandboxConnection,
  target: SandboxConnection,
  database: string,
  snapshot: string,
  tables: TableRef[],
): Promise<void> {
  const reader = await connect(source, database);
  const writer = await connect(target, database);
  try {
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
    // Before PostgreSQL 12, floats print with all their digits only when asked.
    await reader.query('SET extra_float_digits = 3');
    await writer.query('BEGIN');
    for (const t of tables) {
      const name = qualified(t.schema, t.name);
      await pipeline(
        reader.query(copyTo(`COPY ${name} TO STDOUT`)),
        writer.query(copyFrom(`COPY ${name} FROM STDIN`)),
      );
    }
    await writer.query('COMMIT');
    await reader.query('COMMIT');
  } finally {
    await reader.end();
    await writer.end();
  }
}

/**
 * Each row as text, floats as their exact bits (PostgreSQL 10 and 17 print the same double with
 * different digits), so rows compare across versions.
 */
async function rowExpression(client: pg.Client, table: TableRef): Promise<string> {
  const { rows } = await client.query(
    `SELECT a.attname, a.atttypid::regtype::text AS type FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [qualified(table.schema, table.name)],
  );
  const columns = rows.map((r) => {
    const col = `r.${quoteIdent(r.attname as string)}`;
    return r.type === 'double precision' || r.type === 'real'
      ? `encode(float8send(${col}::float8), 'hex')`
      : `${col}::text`;
  });
  return `ROW(${columns.join(', ')})::text`;
}

/** md5 of every row's text, sorted, plus the row count: equal on both sides means equal tables. */
export async function fingerprint(c: SandboxConnection, database: string, table: TableRef): Promise<string> {
  const client = await connect(c, database);
  try {
    await client.query("SET datestyle = 'ISO, MDY'; SET timezone = 'UTC'");
    const name = qualified(table.schema, table.name);
    const row = await rowExpression(client, table);
    const { rows } = await client.query(
      `SELECT count(*)::text AS n, coalesce(md5(string_agg(${row}, E'\\n' ORDER BY ${row})), '') AS md5 FROM ${name} AS r`,
    );
    return `${rows[0].n}:${rows[0].md5}`;
  } finally {
    await client.end();
  }
}

export async function currentWalLsn(c: SandboxConnection, database: string): Promise<string> {
  const client = await connect(c, database);
  try {
    // The insert position: with synchronous_commit off, pg_current_wal_lsn() (the write position)
    // can still be before commits that already returned.
    const { rows } = await client.query(
      `SELECT ${walInsertLsnSql(await serverVersionNum(client))}::text AS lsn`,
    );
    return rows[0].lsn as string;
  } finally {
    await client.end();
  }
}

export async function createDatabase(c: SandboxConnection, database: string): Promise<void> {
  const client = await connect(c, 'postgres');
  try {
    await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
  } finally {
    await client.end();
  }
}

export async function exec(c: SandboxConnection, database: string, sql: string): Promise<void> {
  const client = await connect(c, database);
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A fresh database on both servers with the same `ddl`, a slot created and released, and the
 * applied position at its consistent point: what a full copy of empty tables leaves, ready to follow.
 */
export async function readyToFollow(
  spec: ContextSpec & { ddl: string },
): Promise<{ ctx: ReplicationContext; replicator: LogicalReplicator; consistentPoint: string }> {
  await createDatabase(spec.source, spec.database);
  await createDatabase(spec.target, spec.database);
  await exec(spec.source, spec.database, spec.ddl);
  await exec(spec.target, spec.database, spec.ddl);
  const ctx = makeContext(spec);
  const replicator = new LogicalReplicator(spec.options);
  await replicator.prepare(ctx);
  const slot = await replicator.createSlot(ctx);
  await slot.release();
  await replicator.initPosition(ctx, slot.consistentPoint);
  return { ctx, replicator, consistentPoint: slot.consistentPoint };
}

/** Rows (as text) present on one side only, for failure messages. */
export async function rowDiff(
  a: SandboxConnection,
  b: SandboxConnection,
  database: string,
  table: TableRef,
): Promise<string> {
  const read = async (c: SandboxConnection) => {
    const client = await connect(c, database);
    try {
      await client.query("SET datestyle = 'ISO, MDY'; SET timezone = 'UTC'");
      const row = await rowExpression(client, table);
      const { rows } = await client.query(
        `SELECT left(${row}, 300) AS t FROM ${qualified(table.schema, table.name)} AS r`,
      );
      return rows.map((r) => r.t as string);
    } finally {
      await client.end();
    }
  };
  const [x, y] = await Promise.all([read(a), read(b)]);
  const onlyA = x.filter((r) => !y.includes(r));
  const onlyB = y.filter((r) => !x.includes(r));
  return `only source: ${JSON.stringify(onlyA.slice(0, 5))}\nonly target: ${JSON.stringify(onlyB.slice(0, 5))}`;
}

/** Counts the queries a client sends from now on (each is one round trip). */
export function countQueries(client: pg.Client): { count: number; texts: string[] } {
  const counter = { count: 0, texts: [] as string[] };
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    counter.count++;
    counter.texts.push(typeof args[0] === 'string' ? args[0] : '');
    return original(...args);
  };
  return counter;
}

/**
 * An Applier on `client` (a PostgreSQL 17 target), opened: its session settings made and its
 * replica role and folding decided. Batches of 500 rows / 4 MiB unless `options` say otherwise.
 */
export async function openApplier(
  client: pg.Client,
  database: string,
  options: Partial<ApplierOptions> = {},
  logger: Logger = silentLogger,
): Promise<Applier> {
  const applier = new Applier(
    client,
    new TargetCatalog(client, 170000),
    `slot_${database}`,
    { batchMaxRows: 500, batchMaxBytes: 4 * 1024 * 1024, ...options },
    logger,
  );
  await applier.open();
  return applier;
}

/**
 * Samples, until stopped, whether the slot's confirmed position ever passes the durable position
 * on the target: the source must only hear of what the target committed.
 */
export function watchAcknowledgements(
  source: SandboxServer,
  target: SandboxServer,
  database: string,
  slotName: string,
): { stop(): Promise<{ checks: number; violations: number }> } {
  let violations = 0;
  let checks = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const [ack] = await source.query<{ lsn: string | null }>(
        'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1',
        [slotName],
      );
      const [applied] = await target.query<{ lsn: string }>(
        'SELECT end_lsn::text AS lsn FROM pgshift.apply_progress WHERE slot_name = $1',
        [slotName],
        database,
      );
      if (ack?.lsn && applied && compareLsn(ack.lsn, applied.lsn) > 0) violations++;
      checks++;
      await sleep(50);
    }
  })();
  return {
    async stop() {
      sampling = false;
      await sampler;
      return { checks, violations };
    },
  };
}

/** The durable apply position of a slot on the target ('0/0' before any). */
export async function appliedPosition(
  target: SandboxServer,
  database: string,
  slotName: string,
): Promise<string> {
  const rows = await target.query<{ lsn: string }>(
    'SELECT end_lsn::text AS lsn FROM pgshift.apply_progress WHERE slot_name = $1',
    [slotName],
    database,
  );
  return rows[0]?.lsn ?? '0/0';
}
