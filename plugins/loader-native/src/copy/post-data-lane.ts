import { inTransaction } from '@pgshift/pg';
import { PgshiftError } from '@pgshift/plugin-api';
import type pg from 'pg';
import type { ProgressStore } from './progress-store.js';

/** What the lane needs from the copy's options. */
export interface PostDataLaneOptions {
  openTarget(): Promise<pg.Client>;
  jobs: number;
  /** Lanes while tables still copy; default half of `jobs`, at least 1. */
  postDataJobs?: number;
  /** A table's index builds that may run side by side, each idempotent (IF NOT EXISTS). */
  tableIndexBuilds?: (tableKey: string) => ReadonlyArray<(target: pg.Client) => Promise<void>>;
  /** The rest of a table's post-data, run in the transaction that records the table done. */
  tablePostData?: (tableKey: string, target: pg.Client) => Promise<void>;
}

type Task =
  | { kind: 'build'; table: string; build: (target: pg.Client) => Promise<void> }
  | { kind: 'finish'; table: string };

/**
 * Runs tables' post-data beside the copy workers, on connections of its own. A table's index
 * builds each run in a session of their own, side by side; once all are in, the rest of its
 * post-data and its "done" mark commit in one transaction. While tables still copy, at most
 * `postDataJobs` sessions build (index builds compete with the copy for the target's CPU and
 * disk); once the copy is over, `jobs` do.
 */
export class PostDataLane {
  readonly #options: PostDataLaneOptions;
  readonly #store: ProgressStore;
  readonly #fail: (error: unknown) => void;
  #lanes: number;
  #queue: Task[] = [];
  #buildsLeft = new Map<string, number>();
  #running = 0;
  #idle: pg.Client[] = [];
  #all: pg.Client[] = [];
  #drained: (() => void)[] = [];

  constructor(options: PostDataLaneOptions, store: ProgressStore, fail: (error: unknown) => void) {
    this.#options = options;
    this.#store = store;
    this.#fail = fail;
    this.#lanes = Math.max(1, options.postDataJobs ?? Math.ceil(options.jobs / 2));
  }

  push(table: string): void {
    if (!this.#options.tablePostData) return;
    const builds = this.#options.tableIndexBuilds?.(table) ?? [];
    if (builds.length === 0) this.#queue.push({ kind: 'finish', table });
    else {
      this.#buildsLeft.set(table, builds.length);
      for (const build of builds) this.#queue.push({ kind: 'build', table, build });
    }
    this.#pump();
  }

  /** The copy is over: every session may build now. */
  widen(): void {
    this.#lanes = Math.max(this.#lanes, this.#options.jobs);
    this.#pump();
  }

  #pump(): void {
    while (this.#running < this.#lanes && this.#queue.length > 0) {
      const task = this.#queue.shift() as Task;
      this.#running++;
      void this.#run(task).finally(() => {
        this.#running--;
        this.#pump();
        if (this.#running === 0 && this.#queue.length === 0)
          for (const resolve of this.#drained.splice(0)) resolve();
      });
    }
  }

  async #session(): Promise<pg.Client> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    const client = await this.#options.openTarget();
    this.#all.push(client);
    // Safe like the copy sessions': a table's "done" mark commits with the last of its post-data,
    // after its builds; an index build lost in a crash is simply built again by the rerun.
    await client.query('SET synchronous_commit = off');
    return client;
  }

  async #run(task: Task): Promise<void> {
    let client: pg.Client | undefined;
    try {
      client = await this.#session();
      await this.#perform(task, client);
    } catch (error) {
      this.#fail(
        new PgshiftError(
          'PGSHIFT_POST_DATA_FAILED',
          `building indexes and constraints of ${task.table} failed: ${reason(error)}`,
          {
            cause: error,
            details: { table: task.table },
            remedy: 'fix the cause and run again; the copied rows are kept',
          },
        ),
      );
    } finally {
      if (client) this.#idle.push(client);
    }
  }

  async #perform(task: Task, client: pg.Client): Promise<void> {
    if (task.kind === 'build') {
      await task.build(client);
      const left = (this.#buildsLeft.get(task.table) ?? 1) - 1;
      this.#buildsLeft.set(task.table, left);
      // First in line: the table's last step holds no other session up.
      if (left === 0) this.#queue.unshift({ kind: 'finish', table: task.table });
      return;
    }
    const finish = this.#options.tablePostData as NonNullable<PostDataLaneOptions['tablePostData']>;
    await inTransaction(client, async () => {
      await finish(task.table, client);
      await this.#store.markPostDataDone(client, task.table);
    });
  }

  async finish(): Promise<void> {
    this.widen();
    if (this.#running > 0 || this.#queue.length > 0)
      await new Promise<void>((resolve) => this.#drained.push(resolve));
    await Promise.all(this.#all.map((c) => c.end().catch(() => {})));
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
