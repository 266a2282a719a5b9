import {
  expectedStages,
  type ProgressEvent,
  type ProgressEventInput,
  STAGES,
  type Stage,
} from '@pgshift/plugin-api';

export type StageState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface StageRow {
  stage: Stage;
  state: StageState;
  /** Databases the stage ran for (per-database stages), in the order they started. */
  databases: string[];
  running: Set<string>;
  startedAt?: number;
  endedAt?: number;
}

/** The latest table-progress event of one table, with when it started and last moved. */
export type TableRow = Omit<Extract<ProgressEvent, { type: 'table-progress' }>, 'type' | 'at'> & {
  startedAt: number;
  updatedAt: number;
};

export interface LagRow {
  database: string;
  appliedLsn: string;
  sourceLsn: string;
  lagBytes: number;
  lagSeconds: number;
  applyRate: number;
}

interface Sample {
  at: number;
  bytes: number;
  rows: number;
}

const ORDER: readonly Stage[] = STAGES;
const RATE_WINDOW_MS = 5000;

/**
 * What the live display shows, folded from progress events. Pure apart from the clock passed in,
 * so a test can feed events and read the state back.
 */
export class DisplayState {
  readonly stages: StageRow[];
  readonly tables = new Map<string, TableRow>();
  readonly lag = new Map<string, LagRow>();
  /** Latest copy-progress per database ('' when the event names none). */
  readonly copies = new Map<
    string,
    { rows: number; bytes: number; totalBytes: number; tablesDone: number; tablesTotal: number }
  >();
  #samples: Sample[] = [];

  constructor(stages: Stage[] = expectedStages('full+incremental')) {
    this.stages = stages.map((stage) => ({ stage, state: 'pending', databases: [], running: new Set() }));
  }

  apply(event: ProgressEventInput, now: number): void {
    switch (event.type) {
      case 'stage':
        this.#stage(event.stage, event.state, event.database, now);
        return;
      case 'table-progress': {
        const key = `${event.database}\u0000${event.table}`;
        const row = this.tables.get(key);
        this.tables.set(key, {
          database: event.database,
          table: event.table,
          rows: event.rows,
          bytes: event.bytes,
          ...(event.totalBytes === undefined ? {} : { totalBytes: event.totalBytes }),
          done: event.done,
          // A table is listed (with rows 0) when the copy is planned; it starts with its first bytes.
          startedAt: row?.startedAt ?? (event.bytes > 0 || event.rows > 0 ? now : Number.POSITIVE_INFINITY),
          updatedAt: now,
        });
        return;
      }
      case 'copy-progress': {
        this.copies.set(event.database ?? '', {
          rows: event.rows,
          bytes: event.bytes,
          totalBytes: event.totalBytes,
          tablesDone: event.tablesDone,
          tablesTotal: event.tablesTotal,
        });
        const total = this.copy();
        this.#samples.push({ at: now, bytes: total.bytes, rows: total.rows });
        while (this.#samples.length > 2 && (this.#samples[0]?.at ?? now) < now - RATE_WINDOW_MS)
          this.#samples.shift();
        return;
      }
      case 'lag':
        this.lag.set(event.database, {
          database: event.database,
          appliedLsn: event.appliedLsn,
          sourceLsn: event.sourceLsn,
          lagBytes: Number(event.lagBytes),
          lagSeconds: event.lagSeconds,
          applyRate: event.applyRate,
        });
        return;
      case 'message':
      case 'schema-change':
        return;
    }
  }

  /** Marks every running stage failed (the run threw or ended badly). */
  failRunning(now: number): void {
    for (const row of this.stages) {
      if (row.state === 'running') {
        row.state = 'failed';
        row.endedAt = now;
      }
    }
  }

  /** The copy summed over databases. */
  copy() {
    const sum = { rows: 0, bytes: 0, totalBytes: 0, tablesDone: 0, tablesTotal: 0 };
    for (const c of this.copies.values()) {
      sum.rows += c.rows;
      sum.bytes += c.bytes;
      sum.totalBytes += c.totalBytes;
      sum.tablesDone += c.tablesDone;
      sum.tablesTotal += c.tablesTotal;
    }
    return sum;
  }

  /** Bytes and rows per second over the last few seconds of copy-progress events. */
  copyRate(): { bytes: number; rows: number } {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || !last || last.at <= first.at) return { bytes: 0, rows: 0 };
    const seconds = (last.at - first.at) / 1000;
    return { bytes: (last.bytes - first.bytes) / seconds, rows: (last.rows - first.rows) / seconds };
  }

  /** Tables being copied now, the most recently started last. */
  inFlight(): TableRow[] {
    return [...this.tables.values()]
      .filter((t) => !t.done && Number.isFinite(t.startedAt))
      .sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Tables planned whose copy has not started yet. */
  queued(): number {
    return [...this.tables.values()].filter((t) => !t.done && !Number.isFinite(t.startedAt)).length;
  }

  #stage(stage: Stage, state: 'started' | 'done' | 'failed', database: string | undefined, now: number) {
    let row = this.stages.find((r) => r.stage === stage);
    if (!row) {
      row = { stage, state: 'pending', databases: [], running: new Set() };
      const at = ORDER.indexOf(stage);
      const before = this.stages.findIndex((r) => ORDER.indexOf(r.stage) > at);
      this.stages.splice(before === -1 ? this.stages.length : before, 0, row);
    }
    const key = database ?? '';
    if (database !== undefined && !row.databases.includes(database)) row.databases.push(database);
    if (state === 'started') {
      row.running.add(key);
      row.state = 'running';
      row.startedAt ??= now;
      // A later stage started: earlier ones never reported are not part of this run.
      for (const earlier of this.stages) {
        if (earlier === row) break;
        if (earlier.state === 'pending') earlier.state = 'skipped';
      }
      return;
    }
    row.running.delete(key);
    if (state === 'failed') row.state = 'failed';
    else if (row.state !== 'failed' && row.running.size === 0) row.state = 'done';
    if (row.state !== 'running') row.endedAt = now;
    if (stage === 'done' && state === 'done') {
      for (const r of this.stages) if (r.state === 'pending') r.state = 'skipped';
    }
  }
}
