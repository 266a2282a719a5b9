import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { inTransaction } from '@pgshift/pg';
import { PgshiftError, type TableRef } from '@pgshift/plugin-api';
import pg from 'pg';
import type PgBoss from 'pg-boss';
import { applyClaim, claimKind, dueOrder } from './claimable.js';
import { TaskExistsError, TaskNotFoundError } from './file-task-store.js';
import type { TaskRecord } from './task-record.js';
import type { ClaimedTask, ClaimOptions, TaskStore } from './task-store.js';

const QUEUE = 'pgshift-task';
/** Shares of one database's copy, taken by idle workers (see copy-share.ts). */
const SHARE_QUEUE = 'pgshift-copy-share';
const BOSS_SCHEMA = 'pgshift_boss';
const TABLE = 'pgshift_store.task';
const require = createRequire(import.meta.url);

/** pg-boss, loaded with the first PgTaskStore: most commands never open a shared store. */
function pgBoss(): typeof PgBoss {
  return require('pg-boss') as typeof PgBoss;
}

// Minutes before 2100: earlier due = higher pg-boss priority, so due tasks are fetched in start order.
const EPOCH_2100 = Date.UTC(2100, 0, 1);

function priorityOf(record: TaskRecord): number {
  return Math.max(0, Math.floor((EPOCH_2100 - Date.parse(record.dueAt ?? record.createdAt)) / 60_000));
}

/** The URL without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * The shared store: task records in a small table, and a pg-boss queue of due tasks (one job
 * per task at a time, start-after for scheduled times). Workers on several machines take jobs;
 * a claim is a compare-and-set on the record, so a job that outlived its worker is harmless.
 */
export class PgTaskStore implements TaskStore {
  readonly description: string;
  private readonly pool: pg.Pool;
  private readonly boss: PgBoss;
  private started: Promise<void> | undefined;
  private queueStarted: Promise<void> | undefined;

  constructor(url: string, options: { worker?: boolean } = {}) {
    this.description = describeUrl(url);
    this.pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'pgshift-tasks' });
    this.pool.on('error', () => {});
    this.boss = new (pgBoss())({
      connectionString: url,
      schema: BOSS_SCHEMA,
      max: 2,
      application_name: 'pgshift-queue',
      // Only workers look after expired jobs and the maintenance of the queue tables.
      supervise: options.worker === true,
      schedule: false,
      maintenanceIntervalSeconds: 30,
    });
    this.boss.on('error', () => {});
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      const client = await this.pool.connect().catch((error: unknown) => {
        throw storeError(error, this.description);
      });
      try {
        await inTransaction(client, async () => {
          await client.query("SELECT pg_advisory_xact_lock(hashtext('pgshift_store'))");
          await client.query(
            `CREATE SCHEMA IF NOT EXISTS pgshift_store;
             CREATE TABLE IF NOT EXISTS ${TABLE} (
               name text PRIMARY KEY,
               revision bigint NOT NULL,
               record jsonb NOT NULL,
               updated_at timestamptz NOT NULL DEFAULT now())`,
          );
        });
      } catch (error) {
        throw storeError(error, this.description);
      } finally {
        client.release();
      }
    })();
    return this.started;
  }

  /** Starts pg-boss only where the queue is used (start, worker), not for show or list. */
  private queue(): Promise<void> {
    this.queueStarted ??= (async () => {
      await this.start();
      try {
        await this.boss.start();
        const client2 = await this.pool.connect();
        try {
          await inTransaction(client2, async () => {
            await client2.query("SELECT pg_advisory_xact_lock(hashtext('pgshift_store_queue'))");
            if (!(await this.boss.getQueue(SHARE_QUEUE))) {
              await this.boss.createQueue(SHARE_QUEUE, {
                name: SHARE_QUEUE,
                retryLimit: 0,
                expireInHours: 23,
              });
            }
            if (!(await this.boss.getQueue(QUEUE))) {
              await this.boss.createQueue(QUEUE, {
                name: QUEUE,
                policy: 'stately',
                retryLimit: 100_000,
                retryDelay: 1,
                expireInHours: 23,
              });
            }
          });
        } finally {
          client2.release();
        }
      } catch (error) {
        throw storeError(error, this.description);
      }
    })();
    return this.queueStarted;
  }

  private async readRow(name: string): Promise<{ record: TaskRecord; revision: string } | undefined> {
    await this.start();
    const { rows } = await this.pool.query<{ record: TaskRecord; revision: string }>(
      `SELECT record, revision::text AS revision FROM ${TABLE} WHERE name = $1`,
      [name],
    );
    return rows[0];
  }

  /** Writes a record if nobody changed it since `revision` was read. */
  private async compareAndSet(record: TaskRecord, revision: string): Promise<boolean> {
    record.updatedAt = new Date().toISOString();
    const result = await this.pool.query(
      `UPDATE ${TABLE} SET record = $2, revision = revision + 1, updated_at = now()
        WHERE name = $1 AND revision = $3::bigint`,
      [record.name, JSON.stringify(record), revision],
    );
    return result.rowCount === 1;
  }

  async create(record: TaskRecord): Promise<void> {
    await this.start();
    const result = await this.pool.query(
      `INSERT INTO ${TABLE} (name, revision, record) VALUES ($1, 1, $2) ON CONFLICT (name) DO NOTHING`,
      [record.name, JSON.stringify(record)],
    );
    if (result.rowCount !== 1) throw new TaskExistsError(record.name);
  }

  async get(name: string): Promise<TaskRecord | undefined> {
    return (await this.readRow(name))?.record;
  }

  async list(): Promise<TaskRecord[]> {
    await this.start();
    const { rows } = await this.pool.query<{ record: TaskRecord }>(
      `SELECT record FROM ${TABLE} ORDER BY record->>'createdAt', name`,
    );
    return rows.map((r) => r.record);
  }

  async update(name: string, change: (record: TaskRecord) => unknown): Promise<TaskRecord> {
    for (;;) {
      const row = await this.readRow(name);
      if (!row) throw new TaskNotFoundError(name, this.description);
      if (change(row.record) === false) return row.record;
      if (await this.compareAndSet(row.record, row.revision)) return row.record;
    }
  }

  async enqueue(record: TaskRecord): Promise<void> {
    await this.queue();
    // A job left waiting by an earlier start (cancelled, say) may carry an older time: replace it.
    await this.pool.query(
      `DELETE FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry')`,
      [QUEUE, record.name],
    );
    await this.boss.send(
      QUEUE,
      { name: record.name },
      {
        singletonKey: record.name,
        startAfter: new Date(record.dueAt ?? Date.now()),
        priority: priorityOf(record),
      },
    );
  }

  async claimNext(options: ClaimOptions): Promise<ClaimedTask | undefined> {
    await this.queue();
    // Tasks whose worker died: their job is still active until it expires, so take them directly.
    const orphans = (await this.list()).filter((r) => claimKind(r, options) === 'takeover').sort(dueOrder);
    for (const orphan of orphans) {
      const claimed = await this.tryClaim(orphan.name, options, undefined);
      if (claimed) return claimed;
    }
    for (;;) {
      const [job] = await this.boss.fetch<{ name: string }>(QUEUE, { batchSize: 1, priority: true });
      if (!job) return undefined;
      const claimed = await this.tryClaim(job.data.name, options, job.id);
      if (claimed) return claimed;
      // A stale job (the task ran, was cancelled, or another worker has it): done with it.
      await this.boss.complete(QUEUE, job.id).catch(() => {});
    }
  }

  private async tryClaim(
    name: string,
    options: ClaimOptions,
    jobId: string | undefined,
  ): Promise<ClaimedTask | undefined> {
    for (;;) {
      const row = await this.readRow(name);
      if (!row) return undefined;
      const kind = claimKind(row.record, options);
      if (!kind) return undefined;
      applyClaim(row.record, kind, options);
      if (!(await this.compareAndSet(row.record, row.revision))) continue;
      const record = row.record;
      return {
        record,
        takeover: kind === 'takeover',
        release: async (requeue) => {
          if (jobId) await this.boss.complete(QUEUE, jobId).catch(() => {});
          if (requeue) await this.enqueue(record);
        },
      };
    }
  }

  async publishShare(job: ShareJob): Promise<string> {
    await this.queue();
    const id = await this.boss.send(SHARE_QUEUE, job, { retryLimit: 0 });
    if (!id) throw new Error('the copy share could not be queued');
    return id;
  }

  /** Takes a share back if no worker has taken it yet. */
  async takeBackShare(id: string): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE ${BOSS_SCHEMA}.job SET state = 'cancelled', completed_on = now()
        WHERE name = $1 AND id = $2 AND state = 'created'`,
      [SHARE_QUEUE, id],
    );
    return result.rowCount === 1;
  }

  /** The share's job state and how long ago its helper last said it is alive. */
  async shareState(id: string): Promise<{ state: string; silentMs: number } | undefined> {
    const { rows } = await this.pool.query<{ state: string; silent_ms: string }>(
      `SELECT state::text AS state,
              (extract(epoch FROM now() - coalesce((output->>'beat')::timestamptz, started_on, created_on)) * 1000)::bigint::text AS silent_ms
         FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND id = $2`,
      [SHARE_QUEUE, id],
    );
    const row = rows[0];
    return row ? { state: row.state, silentMs: Number(row.silent_ms) } : undefined;
  }

  /** A helper's heartbeat on the share it copies. */
  async beatShare(id: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${BOSS_SCHEMA}.job SET output = jsonb_build_object('beat', now())
        WHERE name = $1 AND id = $2 AND state = 'active'`,
      [SHARE_QUEUE, id],
    );
  }

  async fetchShare(): Promise<{ id: string; data: ShareJob } | undefined> {
    await this.queue();
    const [job] = await this.boss.fetch<ShareJob>(SHARE_QUEUE, { batchSize: 1 });
    return job ? { id: job.id, data: job.data } : undefined;
  }

  async endShare(id: string, ok: boolean): Promise<void> {
    if (ok) await this.boss.complete(SHARE_QUEUE, id);
    else await this.boss.fail(SHARE_QUEUE, id);
  }

  async close(): Promise<void> {
    if (this.queueStarted) {
      await this.queueStarted.catch(() => {});
      await this.boss.stop({ graceful: false, wait: true }).catch(() => {});
    }
    await this.pool.end().catch(() => {});
  }
}

function storeError(error: unknown, where: string): PgshiftError {
  const message = error instanceof Error ? error.message : String(error);
  return new PgshiftError('PGSHIFT_STORE_UNAVAILABLE', `the task store ${where} cannot be used: ${message}`, {
    cause: error,
    remedy: 'check the --store URL (or PGSHIFT_STORE) and that the database accepts connections',
  });
}

export const localHost = hostname;

/** One share of a database's copy: these tables, read under that exported snapshot. */
export interface ShareJob {
  task: string;
  database: string;
  tables: TableRef[];
  snapshot: string;
  coordinator: string;
}
