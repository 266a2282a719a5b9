import { type ChunkSpec, inTransaction } from '@pgshift/pg';
import type pg from 'pg';

/** A chunk of the stored plan with what an earlier run recorded about it. */
export interface StoredChunk extends ChunkSpec {
  done: boolean;
  rows: number;
  bytes: number;
  snapshot: string | null;
}

export interface StoredState {
  snapshot: string | null;
  consistent: boolean;
  chunks: StoredChunk[];
  postDataDone: Set<string>;
}

const DDL = `
CREATE SCHEMA IF NOT EXISTS pgshift;
CREATE TABLE IF NOT EXISTS pgshift.copy_state (
  task text NOT NULL, database text NOT NULL, snapshot text, consistent boolean NOT NULL DEFAULT true,
  started_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (task, database));
CREATE TABLE IF NOT EXISTS pgshift.copy_progress (
  task text NOT NULL, database text NOT NULL, table_key text NOT NULL, chunk integer NOT NULL,
  kind text NOT NULL, predicate text, estimated_bytes bigint NOT NULL DEFAULT 0,
  rows bigint, bytes bigint, snapshot text, done_at timestamptz,
  PRIMARY KEY (task, database, table_key, chunk));
CREATE TABLE IF NOT EXISTS pgshift.copy_tables (
  task text NOT NULL, database text NOT NULL, table_key text NOT NULL, post_data_at timestamptz,
  PRIMARY KEY (task, database, table_key));
CREATE TABLE IF NOT EXISTS pgshift.load_phases (
  task text NOT NULL, database text NOT NULL, phase text NOT NULL, done_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task, database, phase));`;

/**
 * The copy's bookkeeping, kept in schema `pgshift` of the target database. A chunk's rows and its
 * "done" mark are committed in one target transaction, so after a crash a chunk is either fully
 * there and marked, or absent and unmarked; a rerun copies exactly the unmarked ones.
 */
export class ProgressStore {
  constructor(
    private readonly client: pg.Client,
    readonly task: string,
    readonly database: string,
  ) {}

  async ensure(): Promise<void> {
    // Two loaders creating the schema at once can race on IF NOT EXISTS; one retry settles it.
    try {
      await this.client.query(DDL);
    } catch {
      await this.client.query(DDL);
    }
  }

  async load(): Promise<StoredState | undefined> {
    const state = await this.client.query<{ snapshot: string | null; consistent: boolean }>(
      'SELECT snapshot, consistent FROM pgshift.copy_state WHERE task = $1 AND database = $2',
      [this.task, this.database],
    );
    const head = state.rows[0];
    if (!head) return undefined;
    const chunks = await this.client.query<{
      table_key: string;
      chunk: number;
      kind: ChunkSpec['kind'];
      predicate: string | null;
      estimated_bytes: string;
      rows: string | null;
      bytes: string | null;
      snapshot: string | null;
      done: boolean;
    }>(
      `SELECT table_key, chunk, kind, predicate, estimated_bytes, rows, bytes, snapshot, done_at IS NOT NULL AS done
         FROM pgshift.copy_progress WHERE task = $1 AND database = $2
        ORDER BY sum(estimated_bytes) OVER (PARTITION BY table_key) DESC, table_key, chunk`,
      [this.task, this.database],
    );
    const post = await this.client.query<{ table_key: string }>(
      'SELECT table_key FROM pgshift.copy_tables WHERE task = $1 AND database = $2 AND post_data_at IS NOT NULL',
      [this.task, this.database],
    );
    return {
      snapshot: head.snapshot,
      consistent: head.consistent,
      postDataDone: new Set(post.rows.map((r) => r.table_key)),
      chunks: chunks.rows.map((r) => ({
        table: r.table_key,
        chunk: r.chunk,
        kind: r.kind,
        ...(r.predicate === null ? {} : { predicate: r.predicate }),
        estimatedBytes: Number(r.estimated_bytes),
        done: r.done,
        rows: Number(r.rows ?? 0),
        bytes: Number(r.bytes ?? 0),
        snapshot: r.snapshot,
      })),
    };
  }

  /** Records the plan (and the run's snapshot) in one transaction. */
  async savePlan(chunks: ChunkSpec[], snapshot: string | null, fresh: boolean): Promise<void> {
    await inTransaction(this.client, async () => {
      if (fresh) {
        await this.client.query(
          `INSERT INTO pgshift.copy_state (task, database, snapshot) VALUES ($1, $2, $3)
           ON CONFLICT (task, database) DO UPDATE SET snapshot = EXCLUDED.snapshot, consistent = true`,
          [this.task, this.database, snapshot],
        );
      }
      for (const c of chunks) {
        await this.client.query(
          `INSERT INTO pgshift.copy_progress (task, database, table_key, chunk, kind, predicate, estimated_bytes)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            this.task,
            this.database,
            c.table,
            c.chunk,
            c.kind,
            c.predicate ?? null,
            Math.round(c.estimatedBytes),
          ],
        );
      }
    });
  }

  async setSnapshot(snapshot: string, consistent: boolean): Promise<void> {
    await this.client.query(
      'UPDATE pgshift.copy_state SET snapshot = $3, consistent = consistent AND $4 WHERE task = $1 AND database = $2',
      [this.task, this.database, snapshot, consistent],
    );
  }

  /** Forgets that these tables' chunks were copied (their rows must have been removed with them). */
  async resetTables(tables: string[]): Promise<void> {
    await this.client.query(
      `UPDATE pgshift.copy_progress SET done_at = NULL, rows = NULL, bytes = NULL, snapshot = NULL
        WHERE task = $1 AND database = $2 AND table_key = ANY($3::text[])`,
      [this.task, this.database, tables],
    );
  }

  /** Run inside the target transaction that received the chunk; false if it was already marked. */
  static async markChunkDone(
    client: pg.Client,
    store: { task: string; database: string },
    chunk: ChunkSpec,
    result: { rows: number; bytes: number; snapshot: string },
  ): Promise<boolean> {
    const { rowCount } = await client.query(
      `UPDATE pgshift.copy_progress SET rows = $5, bytes = $6, snapshot = $7, done_at = clock_timestamp()
        WHERE task = $1 AND database = $2 AND table_key = $3 AND chunk = $4 AND done_at IS NULL`,
      [store.task, store.database, chunk.table, chunk.chunk, result.rows, result.bytes, result.snapshot],
    );
    return rowCount === 1;
  }

  /**
   * Makes every earlier commit on the target durable. The copy and post-data sessions commit with
   * synchronous_commit off (a chunk and its mark are lost together or kept together), but once
   * copyDatabase returns, the caller records the copy as finished outside this database. WAL is
   * flushed in order, so one synchronous commit written after them waits for all of them.
   */
  async flushCommits(): Promise<void> {
    await inTransaction(this.client, async () => {
      await this.client.query('SET LOCAL synchronous_commit = on');
      await this.client.query(
        'UPDATE pgshift.copy_state SET snapshot = snapshot WHERE task = $1 AND database = $2',
        [this.task, this.database],
      );
    });
  }

  async markPostDataDone(client: pg.Client, table: string): Promise<void> {
    await client.query(
      `INSERT INTO pgshift.copy_tables (task, database, table_key, post_data_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (task, database, table_key) DO UPDATE SET post_data_at = now()`,
      [this.task, this.database, table],
    );
  }

  async phaseDone(phase: string): Promise<boolean> {
    const { rows } = await this.client.query(
      'SELECT 1 FROM pgshift.load_phases WHERE task = $1 AND database = $2 AND phase = $3',
      [this.task, this.database, phase],
    );
    return rows.length > 0;
  }

  async markPhase(phase: string): Promise<void> {
    await this.client.query(
      `INSERT INTO pgshift.load_phases (task, database, phase) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [this.task, this.database, phase],
    );
  }

  /**
   * Forgets this task's copy of this database, once the task is complete: its rows go, each
   * table that no task uses any more goes, and then the schema if nothing else of pgshift's is
   * left in it. Returns whether the schema is gone.
   */
  async forget(): Promise<boolean> {
    return inTransaction(this.client, async () => {
      // pgshift's own DDL must not fire the user's event triggers (enabled by now) where allowed.
      await this.client.query("SET LOCAL session_replication_role = 'replica'").catch(() => {});
      for (const table of BOOKKEEPING_TABLES) {
        const exists = await this.client.query(`SELECT to_regclass('pgshift.${table}') IS NOT NULL AS e`);
        if (!exists.rows[0]?.e) continue;
        await this.client.query(`DELETE FROM pgshift.${table} WHERE task = $1 AND database = $2`, [
          this.task,
          this.database,
        ]);
        const left = await this.client.query(`SELECT 1 FROM pgshift.${table} LIMIT 1`);
        if (left.rows.length === 0) await this.client.query(`DROP TABLE pgshift.${table}`);
      }
      const { rows } = await this.client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pgshift'`,
      );
      if ((rows[0]?.n ?? 0) > 0) return false;
      await this.client.query('DROP SCHEMA IF EXISTS pgshift');
      return true;
    });
  }
}

/** The copy's tables in schema pgshift (see DDL). */
const BOOKKEEPING_TABLES = ['copy_progress', 'copy_tables', 'load_phases', 'copy_state'] as const;
