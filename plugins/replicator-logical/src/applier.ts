import { fixedSettingsSql, type SessionSetting } from '@pgshift/pg';
import type { Logger } from '@pgshift/plugin-api';
import type pg from 'pg';
import { CODES, ReplicationError } from './errors.js';
import { type FoldableChange, FoldedTableChanges } from './folded-changes.js';
import type { DataChange, InsertChange, RelationIdentity, Row, Value } from './model.js';
import { rowBytes } from './model.js';
import { type BatchKind, OrderedBatch, sameColumns } from './ordered-batch.js';
import { StatementPipeline } from './pipeline.js';
import { CREATE_PROGRESS_TABLE, PROGRESS_TABLE, WRITE_PROGRESS } from './progress-store.js';
import { keyedChangesCommute } from './reorder-safety.js';
import { REPLICA_FIRING_TRIGGERS } from './replica-triggers.js';
import {
  deleteFullRow,
  type Statement,
  truncateTables,
  updateFullRow,
  updateRowByKey,
} from './statements.js';
import type { TargetCatalog, TargetTable } from './target-catalog.js';

export interface ApplierOptions {
  /** Rows per batched statement. */
  batchMaxRows: number;
  /** Approximate bytes of values per batched statement. */
  batchMaxBytes: number;
  /** Statements sent together in one round trip (default 500). */
  pipelineMaxStatements?: number;
  /** Bytes of rendered statements held before they are sent (default 1 MiB). */
  pipelineMaxBytes?: number;
  /** Rows held folded per key, over all tables, before they are sent (default 5,000). */
  foldMaxRows?: number;
  /** Approximate value bytes held folded before they are sent (default 4 MiB). */
  foldMaxBytes?: number;
}

/**
 * Values per batched statement at most. Batched statements now carry their values as literals,
 * but the cap (once PostgreSQL's limit on bind parameters) still keeps a statement of a very wide
 * table to a size the target parses comfortably.
 */
const MAX_VALUES = 65_535;

/** The commit a group ends with; its end LSN becomes the durable position. */
export interface GroupEnd {
  commitLsn?: string;
  endLsn: string;
}

/**
 * The apply session's own settings, on top of pgshift's fixed ones: the progress row must be on
 * disk before the source is told it may forget the changes, and a group's transaction waits idle
 * while the stream brings more, which a server's idle timeout must not end.
 */
const APPLY_SETTINGS: readonly SessionSetting[] = [
  { name: 'synchronous_commit', value: 'on' },
  { name: 'idle_in_transaction_session_timeout', value: '0', since: 90600 },
];

const own = (row: Row, name: string) => Object.hasOwn(row, name);

/**
 * Applies changes on one target session inside one open transaction (a group of source
 * transactions), batching consecutive compatible row changes, and commits the group together with
 * the position it reaches. Nothing is committed except at a group boundary, so a source
 * transaction is never half applied.
 */
export class Applier {
  readonly #client: pg.Client;
  readonly #catalog: TargetCatalog;
  readonly #slotName: string;
  readonly #options: ApplierOptions;
  readonly #logger: Logger;
  readonly #pipeline: StatementPipeline;
  #batch: OrderedBatch | undefined;
  /** Per table (quoted name): the group's changes folded per key, when they may be reordered. */
  readonly #folded = new Map<string, FoldedTableChanges>();
  #foldedRows = 0;
  #foldedBytes = 0;
  readonly #foldMaxRows: number;
  readonly #foldMaxBytes: number;
  #inTransaction = false;
  /** Rows an UPDATE or DELETE expected but did not find (the target drifted from the source). */
  missingRows = 0;
  replicaRole = false;
  /**
   * Whether a group's changes to different rows may be applied out of source order: only in
   * replica role (no foreign-key checks) and when no trigger or rule would fire and watch.
   */
  folding = false;

  constructor(
    client: pg.Client,
    catalog: TargetCatalog,
    slotName: string,
    options: ApplierOptions,
    logger: Logger,
  ) {
    this.#client = client;
    this.#catalog = catalog;
    this.#slotName = slotName;
    this.#options = options;
    this.#logger = logger;
    this.#foldMaxRows = options.foldMaxRows ?? 5_000;
    this.#foldMaxBytes = options.foldMaxBytes ?? 4 * 1024 * 1024;
    this.#pipeline = new StatementPipeline(
      client,
      {
        maxStatements: options.pipelineMaxStatements ?? 500,
        maxBytes: options.pipelineMaxBytes ?? 1024 * 1024,
      },
      (check, found) => this.#expect(found, check.expected, check.table),
    );
  }

  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /** Session settings for exact values and a durable position. */
  async open(): Promise<void> {
    await this.#client.query(fixedSettingsSql(APPLY_SETTINGS, this.#catalog.serverVersion));
    await this.#client.query(CREATE_PROGRESS_TABLE);
    // Replica role: the target's triggers do not fire again for rows the source's triggers already
    // produced, and foreign keys are not checked while transactions are regrouped. It needs a
    // superuser (or, from 15, a GRANT SET on the parameter).
    try {
      await this.#client.query('SET session_replication_role = replica');
      this.replicaRole = true;
    } catch (error) {
      this.#logger.warn(
        'cannot SET session_replication_role = replica on the target: triggers on the target will fire and foreign keys will be checked during apply',
        { reason: (error as Error).message },
      );
    }
    if (!this.replicaRole) return;
    const { rows } = await this.#client.query<{ name: string }>(REPLICA_FIRING_TRIGGERS);
    this.folding = rows.length === 0;
    if (!this.folding)
      this.#logger.info(
        'triggers or rules on the target fire in replica role, so changes are applied one by one in source order',
        { examples: rows.map((r) => r.name) },
      );
  }

  /** Opens the group's transaction: BEGIN travels with the first statements, not on its own. */
  async #begin(): Promise<void> {
    if (this.#inTransaction) return;
    await this.#pipeline.add({ text: 'BEGIN', values: [] }, '');
    this.#inTransaction = true;
  }

  /**
   * Queues a change statement in the open transaction; it runs with later ones in one round trip,
   * at the latest before the commit, and its row count is checked against `expected` then.
   */
  async #queue(statement: Statement, expected: number | undefined, table: TargetTable): Promise<void> {
    await this.#begin();
    await this.#pipeline.add(
      statement,
      table.sql,
      expected === undefined ? undefined : { expected, table: table.sql },
    );
  }

  #expect(found: number, expected: number, table: string): void {
    if (found >= expected) return;
    this.missingRows += expected - found;
    this.#logger.warn('rows to change were not found on the target; it differs from the source', {
      table,
      missing: expected - found,
    });
  }

  /** Sends everything held: the ordered batch and every table's folded changes. */
  async flush(): Promise<void> {
    await this.#flushOrdered();
    for (const folded of this.#folded.values()) await this.#flushFolded(folded);
    this.#folded.clear();
  }

  async #flushFolded(folded: FoldedTableChanges): Promise<void> {
    this.#foldedRows -= folded.size;
    this.#foldedBytes -= folded.bytes;
    for (const { statement, expected } of folded.drain(this.#maxRows(folded.table.columns.size)))
      await this.#queue(statement, expected, folded.table);
  }

  #maxRows(columns: number): number {
    return Math.min(this.#options.batchMaxRows, Math.floor(MAX_VALUES / Math.max(1, columns)));
  }

  async #flushOrdered(): Promise<void> {
    const batch = this.#batch;
    if (!batch) return;
    this.#batch = undefined;
    const { statement, expected } = batch.statement();
    await this.#queue(statement, expected, batch.table);
  }

  #batchLimits(columns: number): { maxRows: number; maxBytes: number } {
    return { maxRows: this.#maxRows(columns), maxBytes: this.#options.batchMaxBytes };
  }

  /** The columns of an insert that the target may be given (defined values, not generated). */
  #insertColumns(table: TargetTable, row: Row): string[] {
    const columns: string[] = [];
    for (const name in row) {
      if (row[name] !== undefined && table.columns.get(name)?.generated !== true) columns.push(name);
    }
    return columns;
  }

  /** Adds a row to the open batch, or flushes it and opens one that fits. */
  async #add(
    kind: BatchKind,
    table: TargetTable,
    columns: string[],
    keyCount: number,
    row: Value[],
    key: string | undefined,
    bytes: number,
  ): Promise<void> {
    let batch = this.#batch;
    if (batch && !batch.fits(kind, table, columns, keyCount, key, bytes, this.#batchLimits(columns.length))) {
      await this.#flushOrdered();
      batch = undefined;
    }
    if (!batch) {
      batch = new OrderedBatch(kind, table, columns, keyCount);
      this.#batch = batch;
    }
    batch.add(row, key, bytes);
  }

  #keyChanged(change: DataChange, keys: readonly string[]): boolean {
    return (
      change.kind === 'update' &&
      change.old !== undefined &&
      keys.some((k) => change.new[k] !== undefined && change.new[k] !== change.old?.[k])
    );
  }

  /** The table's folded changes, when its changes may be folded; undefined when in source order. */
  #foldedFor(table: TargetTable, identity: RelationIdentity | undefined): FoldedTableChanges | undefined {
    if (
      !this.folding ||
      !identity ||
      identity.replicaIdentity === 'full' ||
      identity.replicaIdentity === 'nothing'
    )
      return undefined;
    const held = this.#folded.get(table.sql);
    if (held && held.table === table && sameColumns(held.keyColumns, identity.keyColumns)) return held;
    if (!keyedChangesCommute(table, identity.keyColumns)) return undefined;
    // A new definition of the table (or of its key) starts a new fold; #fold sends the old one first.
    return new FoldedTableChanges(table, [...identity.keyColumns]);
  }

  async #flushTable(folded: FoldedTableChanges): Promise<void> {
    if (this.#folded.get(folded.table.sql) !== folded) return;
    this.#folded.delete(folded.table.sql);
    await this.#flushFolded(folded);
  }

  /**
   * Folds a row change at once when nothing needs waiting for: the transaction is open, the table
   * and its fold are known, no limit is reached and the change follows what is held for its row.
   * Returns false otherwise, and the caller goes through `apply`, which waits where needed.
   */
  tryFold(change: FoldableChange, identity: RelationIdentity): boolean {
    if (!this.#inTransaction || identity.replicaIdentity === 'full') return false;
    const table = this.#catalog.cached(change.relation);
    if (!table) return false;
    if (change.kind === 'insert' && identity.keyColumns.length === 0)
      return this.#tryAppendInsert(table, change);
    const folded = this.#folded.get(table.sql);
    if (!folded || folded.table !== table || !sameColumns(folded.keyColumns, identity.keyColumns))
      return false;
    if (this.#keyChanged(change, folded.keyColumns)) return false;
    if (this.#foldIsFull()) return false;
    return this.#addToFold(folded, change);
  }

  /**
   * Folds a change into its table's held changes and keeps the totals over all tables; false when
   * it cannot follow what is held for its row (nothing changed then).
   */
  #addToFold(folded: FoldedTableChanges, change: FoldableChange): boolean {
    const rows = folded.size;
    const bytes = folded.bytes;
    if (!folded.add(change)) return false;
    this.#foldedRows += folded.size - rows;
    this.#foldedBytes += folded.bytes - bytes;
    return true;
  }

  /** An insert into a table without a key joins the open batch of such inserts when it fits. */
  #tryAppendInsert(table: TargetTable, change: InsertChange): boolean {
    const batch = this.#batch;
    if (!batch) return false;
    const columns = this.#insertColumns(table, change.new);
    const bytes = change.bytes ?? rowBytes(change.new);
    if (!batch.fits('insert', table, columns, 0, undefined, bytes, this.#batchLimits(columns.length)))
      return false;
    batch.add(
      columns.map((c) => change.new[c]),
      undefined,
      bytes,
    );
    return true;
  }

  /** The folded rows reached a limit: they are to be sent before more are held. */
  #foldIsFull(): boolean {
    return this.#foldedRows >= this.#foldMaxRows || this.#foldedBytes >= this.#foldMaxBytes;
  }

  async #fold(folded: FoldedTableChanges, change: FoldableChange): Promise<void> {
    const key = folded.table.sql;
    const held = this.#folded.get(key);
    if (held !== folded) {
      if (held) await this.#flushTable(held);
      this.#folded.set(key, folded);
    }
    await this.#begin();
    if (!this.#addToFold(folded, change)) {
      // It cannot follow what is held for its row: apply that first (which empties the fold), in
      // source order, then hold the change alone.
      await this.#flushTable(folded);
      this.#folded.set(key, folded);
      if (!this.#addToFold(folded, change))
        throw new ReplicationError(CODES.apply, `a change to ${key} could not be applied in order`, {
          remedy: 'report this as a bug; nothing of this group was committed',
        });
    }
    if (this.#foldIsFull()) {
      for (const held of [...this.#folded.values()]) await this.#flushTable(held);
    }
  }

  async apply(change: DataChange, identity: RelationIdentity | undefined): Promise<void> {
    if (change.kind === 'truncate') {
      await this.flush();
      const tables = await Promise.all(change.relations.map((r) => this.#catalog.table(r)));
      const statement = truncateTables(tables, change.restartIdentity);
      if (statement) await this.#queue(statement, undefined, tables[0] as TargetTable);
      return;
    }
    const table = await this.#catalog.table(change.relation);
    const folded = this.#foldedFor(table, identity);
    if (folded && !this.#keyChanged(change, folded.keyColumns)) {
      await this.#fold(folded, change);
      return;
    }
    const writable = (name: string) => table.columns.get(name)?.generated !== true;
    if (change.kind === 'insert') {
      const columns = this.#insertColumns(table, change.new);
      await this.#add(
        'insert',
        table,
        columns,
        0,
        columns.map((c) => change.new[c]),
        undefined,
        rowBytes(change.new),
      );
      return;
    }
    if (
      !identity ||
      identity.replicaIdentity === 'nothing' ||
      (identity.replicaIdentity !== 'full' && identity.keyColumns.length === 0)
    )
      throw new ReplicationError(
        CODES.noIdentity,
        `${table.sql} has no replica identity, so its ${change.kind.toUpperCase()} cannot be applied`,
        {
          remedy:
            'give the source table a primary key or ALTER TABLE ... REPLICA IDENTITY FULL, then start the migration again',
        },
      );
    if (identity.replicaIdentity === 'full') {
      await this.#flushOrdered();
      const old = change.old;
      if (!old)
        throw new ReplicationError(
          CODES.noIdentity,
          `an ${change.kind.toUpperCase()} on ${table.sql} (REPLICA IDENTITY FULL) came without its old row`,
        );
      // Columns the decoder left out of the old row were NULL (test_decoding omits NULLs there).
      const match: [string, Value][] = [];
      for (const column of table.columns.values()) {
        if (column.generated) continue;
        const value = own(old, column.name) ? old[column.name] : null;
        if (value !== undefined) match.push([column.name, value]);
      }
      if (change.kind === 'delete') {
        await this.#queue(deleteFullRow(table, match), 1, table);
      } else {
        const set = Object.keys(change.new)
          .filter((c) => change.new[c] !== undefined && writable(c))
          .map((c): [string, Value] => [c, change.new[c]]);
        if (set.length > 0) await this.#queue(updateFullRow(table, match, set), 1, table);
      }
      return;
    }
    const keys = identity.keyColumns;
    if (change.kind === 'delete') {
      const keyValues = keys.map((k) => change.old[k]);
      await this.#add(
        'delete',
        table,
        keys,
        keys.length,
        keyValues,
        JSON.stringify(keyValues),
        rowBytes(change.old),
      );
      return;
    }
    const source = change.old ?? change.new;
    const oldKey = keys.map((k) => source[k]);
    const keyChanged = this.#keyChanged(change, keys);
    const setColumns = Object.keys(change.new).filter(
      (c) => change.new[c] !== undefined && writable(c) && (keyChanged || !keys.includes(c)),
    );
    if (keyChanged) {
      // In source order with what came before on this table: held folded rows go first.
      if (folded) await this.#flushTable(folded);
      else await this.#flushOrdered();
      const statement = updateRowByKey(
        table,
        keys,
        oldKey,
        setColumns,
        setColumns.map((c) => change.new[c]),
      );
      await this.#queue(statement, 1, table);
      return;
    }
    if (setColumns.length === 0) return;
    await this.#add(
      'update',
      table,
      [...keys, ...setColumns],
      keys.length,
      [...oldKey, ...setColumns.map((c) => change.new[c])],
      JSON.stringify(oldKey),
      rowBytes(change.new),
    );
  }

  /**
   * Flushes, records the position in the same transaction, and commits: the last changes, the
   * position and COMMIT travel in one round trip, and the target runs them in order, so the
   * position commits only together with every change before it. Returns once COMMIT is sent;
   * `done` settles when it succeeded (or rejects). The next group may be built meanwhile: its
   * statements are sent only after the commit has run.
   */
  async startCommit(end: GroupEnd): Promise<{ done: Promise<void> }> {
    await this.flush();
    await this.#begin();
    await this.#pipeline.add(
      { text: WRITE_PROGRESS, values: [this.#slotName, end.commitLsn ?? null, end.endLsn] },
      PROGRESS_TABLE,
    );
    await this.#pipeline.add({ text: 'COMMIT', values: [] }, '');
    const sent = await this.#pipeline.sendInBackground();
    this.#inTransaction = false;
    return sent;
  }

  /** startCommit, waiting until COMMIT succeeded. */
  async commit(end: GroupEnd): Promise<void> {
    const { done } = await this.startCommit(end);
    await done;
  }

  async rollback(): Promise<void> {
    this.#batch = undefined;
    this.#folded.clear();
    this.#foldedRows = 0;
    this.#foldedBytes = 0;
    await this.#pipeline.discard();
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    await this.#client.query('ROLLBACK');
  }
}
