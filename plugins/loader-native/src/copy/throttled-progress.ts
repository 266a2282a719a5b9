import type { ProgressSink } from '@pgshift/plugin-api';

interface TableCounter {
  rows: number;
  bytes: number;
  totalBytes: number;
  done: boolean;
  dirty: boolean;
}

/** Counts rows and bytes per table and reports them to the sink at most every `intervalMs`. */
export class CopyProgress {
  #tables = new Map<string, TableCounter>();
  #last = 0;

  constructor(
    private readonly sink: ProgressSink,
    private readonly database: string,
    private readonly intervalMs = 500,
  ) {}

  table(key: string, totalBytes: number, rows = 0, bytes = 0, done = false): void {
    this.#tables.set(key, { rows, bytes, totalBytes, done, dirty: true });
  }

  bytes(key: string, bytes: number): void {
    const t = this.#tables.get(key);
    if (!t) return;
    t.bytes += bytes;
    t.dirty = true;
    this.#maybeFlush();
  }

  rows(key: string, rows: number): void {
    const t = this.#tables.get(key);
    if (!t) return;
    t.rows += rows;
    t.dirty = true;
    this.#maybeFlush();
  }

  /** Removes what a chunk had streamed before it failed or was undone. */
  undo(key: string, bytes: number): void {
    const t = this.#tables.get(key);
    if (t) t.bytes -= bytes;
  }

  done(key: string): void {
    const t = this.#tables.get(key);
    if (!t) return;
    t.done = true;
    t.dirty = true;
    this.flush();
  }

  totals() {
    let rows = 0;
    let bytes = 0;
    let totalBytes = 0;
    let tablesDone = 0;
    for (const t of this.#tables.values()) {
      rows += t.rows;
      bytes += t.bytes;
      totalBytes += t.totalBytes;
      if (t.done) tablesDone++;
    }
    return { rows, bytes, totalBytes, tablesDone, tablesTotal: this.#tables.size };
  }

  #maybeFlush(): void {
    if (Date.now() - this.#last >= this.intervalMs) this.flush();
  }

  flush(): void {
    this.#last = Date.now();
    for (const [table, t] of this.#tables) {
      if (!t.dirty) continue;
      t.dirty = false;
      this.sink.emit({
        type: 'table-progress',
        database: this.database,
        table,
        rows: t.rows,
        bytes: t.bytes,
        totalBytes: t.totalBytes,
        done: t.done,
      });
    }
    this.sink.emit({ type: 'copy-progress', database: this.database, ...this.totals() });
  }
}
