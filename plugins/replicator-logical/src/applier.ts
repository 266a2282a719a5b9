import type { Logger } from '@pgshift/plugin-api';
import type pg from 'pg';
import { ApplySession, type GroupEnd } from './apply-session.js';
import {
  fullRowMatch,
  insertColumns,
  keyChanged,
  requireIdentity,
  setColumns,
  writable,
} from './change-rows.js';
import { CODES, ReplicationError } from './errors.js';
import { type FoldableChange, FoldedTableChanges } from './folded-changes.js';
import { HeldFolds } from './held-folds.js';
import type {
  DataChange,
  DeleteChange,
  InsertChange,
  RelationIdentity,
  TruncateChange,
  UpdateChange,
  Value,
} from './model.js';
import { rowBytes } from './model.js';
import { type BatchKind, OrderedBatch } from './ordered-batch.js';
import { keyedChangesCommute } from './reorder-safety.js';
import { deleteFullRow, truncateTables, updateFullRow, updateRowByKey } from './statements.js';
import type { TargetCatalog, TargetTable } from './target-catalog.js';

export type { GroupEnd } from './apply-session.js';

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

/**
 * Turns row changes into statements in the group's open transaction on the target (the session):
 * folded per key where changes to different rows may be reordered (held-folds.ts), else batched in
 * source order (ordered-batch.ts), one statement where neither applies. Nothing is committed
 * except at a group boundary, so a source transaction is never half applied.
 */
export class Applier {
  readonly #catalog: TargetCatalog;
  readonly #options: ApplierOptions;
  readonly #session: ApplySession;
  readonly #folds: HeldFolds;
  #batch: OrderedBatch | undefined;
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
    this.#catalog = catalog;
    this.#options = options;
    this.#folds = new HeldFolds(options.foldMaxRows ?? 5_000, options.foldMaxBytes ?? 4 * 1024 * 1024);
    this.#session = new ApplySession(
      client,
      slotName,
      {
        maxStatements: options.pipelineMaxStatements ?? 500,
        maxBytes: options.pipelineMaxBytes ?? 1024 * 1024,
      },
      logger,
    );
  }

  get inTransaction(): boolean {
    return this.#session.inTransaction;
  }

  /** The target's server_version_num. */
  get targetVersion(): number {
    return this.#catalog.serverVersion;
  }

  /** Rows an UPDATE or DELETE expected but did not find (the target drifted from the source). */
  get missingRows(): number {
    return this.#session.missingRows;
  }

  /** Session settings for exact values and a durable position; replica role and folding decided. */
  async open(): Promise<void> {
    const mode = await this.#session.open(this.#catalog.serverVersion);
    this.replicaRole = mode.replicaRole;
    this.folding = mode.folding;
  }

  /** Sends everything held: the ordered batch and every table's folded changes. */
  async flush(): Promise<void> {
    await this.#flushOrdered();
    for (const folded of this.#folds.releaseAll()) await this.#send(folded);
  }

  async #send(folded: FoldedTableChanges): Promise<void> {
    for (const { statement, expected } of folded.drain(this.#maxRows(folded.table.columns.size)))
      await this.#session.queue(statement, expected, folded.table);
  }

  /** Sends a table's folded changes now, if they are still held. */
  async #flushTable(folded: FoldedTableChanges): Promise<void> {
    if (this.#folds.release(folded)) await this.#send(folded);
  }

  #maxRows(columns: number): number {
    return Math.min(this.#options.batchMaxRows, Math.floor(MAX_VALUES / Math.max(1, columns)));
  }

  async #flushOrdered(): Promise<void> {
    const batch = this.#batch;
    if (!batch) return;
    this.#batch = undefined;
    const { statement, expected } = batch.statement();
    await this.#session.queue(statement, expected, batch.table);
  }

  #batchLimits(columns: number): { maxRows: number; maxBytes: number } {
    return { maxRows: this.#maxRows(columns), maxBytes: this.#options.batchMaxBytes };
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

  /** The table's folded changes, when its changes may be folded; undefined when in source order. */
  #foldedFor(table: TargetTable, identity: RelationIdentity | undefined): FoldedTableChanges | undefined {
    if (
      !this.folding ||
      !identity ||
      identity.replicaIdentity === 'full' ||
      identity.replicaIdentity === 'nothing'
    )
      return undefined;
    const held = this.#folds.matching(table, identity.keyColumns);
    if (held) return held;
    if (!keyedChangesCommute(table, identity.keyColumns)) return undefined;
    // A new definition of the table (or of its key) starts a new fold; #fold sends the old one first.
    return new FoldedTableChanges(table, [...identity.keyColumns]);
  }

  /**
   * Folds a row change at once when nothing needs waiting for: the transaction is open, the table
   * and its fold are known, no limit is reached and the change follows what is held for its row.
   * Returns false otherwise, and the caller goes through `apply`, which waits where needed.
   */
  tryFold(change: FoldableChange, identity: RelationIdentity): boolean {
    if (!this.#session.inTransaction || identity.replicaIdentity === 'full') return false;
    const table = this.#catalog.cached(change.relation);
    if (!table) return false;
    if (change.kind === 'insert' && identity.keyColumns.length === 0)
      return this.#tryAppendInsert(table, change);
    const folded = this.#folds.matching(table, identity.keyColumns);
    if (!folded) return false;
    if (keyChanged(change, folded.keyColumns)) return false;
    if (this.#folds.full) return false;
    return this.#folds.add(folded, change);
  }

  /** An insert into a table without a key joins the open batch of such inserts when it fits. */
  #tryAppendInsert(table: TargetTable, change: InsertChange): boolean {
    const batch = this.#batch;
    if (!batch) return false;
    const columns = insertColumns(table, change.new);
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

  async #fold(folded: FoldedTableChanges, change: FoldableChange): Promise<void> {
    const held = this.#folds.heldFor(folded.table);
    if (held !== folded) {
      if (held) await this.#flushTable(held);
      this.#folds.hold(folded);
    }
    await this.#session.begin();
    if (!this.#folds.add(folded, change)) {
      // It cannot follow what is held for its row: apply that first (which empties the fold), in
      // source order, then hold the change alone.
      await this.#flushTable(folded);
      this.#folds.hold(folded);
      if (!this.#folds.add(folded, change))
        throw new ReplicationError(
          CODES.apply,
          `a change to ${folded.table.sql} could not be applied in order`,
          {
            remedy: 'report this as a bug; nothing of this group was committed',
          },
        );
    }
    if (this.#folds.full) {
      for (const all of this.#folds.releaseAll()) await this.#send(all);
    }
  }

  async apply(change: DataChange, identity: RelationIdentity | undefined): Promise<void> {
    if (change.kind === 'truncate') return this.#truncate(change);
    const table = await this.#catalog.table(change.relation);
    const folded = this.#foldedFor(table, identity);
    if (folded && !keyChanged(change, folded.keyColumns)) return this.#fold(folded, change);
    if (change.kind === 'insert') return this.#insert(table, change);
    const { replicaIdentity, keyColumns } = requireIdentity(table, change, identity);
    if (replicaIdentity === 'full') return this.#applyFullRow(table, change);
    if (change.kind === 'delete') return this.#deleteByKey(table, change, keyColumns);
    return this.#updateByKey(table, change, keyColumns, folded);
  }

  async #truncate(change: TruncateChange): Promise<void> {
    await this.flush();
    const tables = await Promise.all(change.relations.map((r) => this.#catalog.table(r)));
    const statement = truncateTables(tables, change.restartIdentity);
    if (statement) await this.#session.queue(statement, undefined, tables[0] as TargetTable);
  }

  #insert(table: TargetTable, change: InsertChange): Promise<void> {
    const columns = insertColumns(table, change.new);
    const values = columns.map((c) => change.new[c]);
    return this.#add('insert', table, columns, 0, values, undefined, rowBytes(change.new));
  }

  /** REPLICA IDENTITY FULL: one statement that touches exactly one row matching the old one. */
  async #applyFullRow(table: TargetTable, change: UpdateChange | DeleteChange): Promise<void> {
    await this.#flushOrdered();
    const match = fullRowMatch(table, change);
    if (change.kind === 'delete') {
      await this.#session.queue(deleteFullRow(table, match), 1, table);
      return;
    }
    const set = Object.keys(change.new)
      .filter((c) => change.new[c] !== undefined && writable(table, c))
      .map((c): [string, Value] => [c, change.new[c]]);
    if (set.length > 0) await this.#session.queue(updateFullRow(table, match, set), 1, table);
  }

  #deleteByKey(table: TargetTable, change: DeleteChange, keys: string[]): Promise<void> {
    const keyValues = keys.map((k) => change.old[k]);
    return this.#add(
      'delete',
      table,
      keys,
      keys.length,
      keyValues,
      JSON.stringify(keyValues),
      rowBytes(change.old),
    );
  }

  async #updateByKey(
    table: TargetTable,
    change: UpdateChange,
    keys: string[],
    folded: FoldedTableChanges | undefined,
  ): Promise<void> {
    const source = change.old ?? change.new;
    const oldKey = keys.map((k) => source[k]);
    const keyChange = keyChanged(change, keys);
    const set = setColumns(table, change.new, keys, keyChange);
    if (keyChange) {
      // In source order with what came before on this table: held folded rows go first.
      if (folded) await this.#flushTable(folded);
      else await this.#flushOrdered();
      const values = set.map((c) => change.new[c]);
      await this.#session.queue(updateRowByKey(table, keys, oldKey, set, values), 1, table);
      return;
    }
    if (set.length === 0) return;
    const row = [...oldKey, ...set.map((c) => change.new[c])];
    await this.#add(
      'update',
      table,
      [...keys, ...set],
      keys.length,
      row,
      JSON.stringify(oldKey),
      rowBytes(change.new),
    );
  }

  /**
   * Runs statements that are no row changes (a schema change) in the group's transaction, at their
   * place: what is held is sent first, and the target's table definitions are read again after.
   */
  async runStatements(statements: string[], label: string): Promise<void> {
    await this.flush();
    for (const text of statements) await this.#session.queueStatement(text, label);
  }

  /** Sends everything held and waits until the target ran it, an earlier group's COMMIT included. */
  async settle(): Promise<void> {
    await this.flush();
    await this.#session.settle();
  }

  /**
   * Runs a schema change in the group's transaction at its place, in a savepoint: what is held is
   * sent first, and the target's table definitions are read again after. Returns the target's
   * error instead of throwing (the transaction stays usable), for the caller to judge.
   */
  async runSchemaChange(statements: string[]): Promise<{ code?: string; message: string } | undefined> {
    await this.flush();
    const failed = await this.#session.runInSavepoint(statements);
    this.#catalog.forgetAll();
    return failed;
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
    return this.#session.commit(end);
  }

  /** startCommit, waiting until COMMIT succeeded. */
  async commit(end: GroupEnd): Promise<void> {
    const { done } = await this.startCommit(end);
    await done;
  }

  async rollback(): Promise<void> {
    this.#batch = undefined;
    this.#folds.clear();
    await this.#session.rollback();
  }
}
