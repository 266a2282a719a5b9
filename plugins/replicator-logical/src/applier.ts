import type { Logger } from '@pgshift/plugin-api';
import type pg from 'pg';
import { CODES, ReplicationError } from './errors.js';
import type { DataChange, RelationIdentity, Row, Value } from './model.js';
import { rowBytes } from './model.js';
import { StatementPipeline } from './pipeline.js';
import { CREATE_PROGRESS_TABLE, WRITE_PROGRESS } from './progress-store.js';
import {
  deleteFullRow,
  deleteRowsByKey,
  insertRows,
  type Statement,
  truncateTables,
  updateFullRow,
  updateRowByKey,
  updateRowsByKey,
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
}

/** PostgreSQL's limit on bind parameters per statement. */
const MAX_PARAMS = 65_535;

interface Batch {
  kind: 'insert' | 'update' | 'delete';
  table: TargetTable;
  /** insert: columns; update: key columns then set columns; delete: key columns. */
  columns: string[];
  keyCount: number;
  signature: string;
  rows: Value[][];
  keys: Set<string>;
  bytes: number;
}

/** The commit a group ends with; its end LSN becomes the durable position. */
export interface GroupEnd {
  commitLsn?: string;
  endLsn: string;
}

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
  #batch: Batch | undefined;
  #inTransaction = false;
  /** Rows an UPDATE or DELETE expected but did not find (the target drifted from the source). */
  missingRows = 0;
  replicaRole = false;

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
    // The progress row must be on disk before the source is told it may forget the changes.
    await this.#client.query(
      "SET synchronous_commit = on; SET datestyle = 'ISO, MDY'; SET intervalstyle = 'postgres'; SET timezone = 'UTC'; SET extra_float_digits = 3; SET bytea_output = 'hex'; SET idle_in_transaction_session_timeout = 0",
    );
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
  }

  async #begin(): Promise<void> {
    if (this.#inTransaction) return;
    await this.#client.query('BEGIN');
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

  async #run(statement: Statement): Promise<number> {
    await this.#begin();
    try {
      const result = await this.#client.query(statement.text, statement.values);
      return result.rowCount ?? 0;
    } catch (error) {
      throw new ReplicationError(
        CODES.apply,
        `applying a change on the target failed: ${(error as Error).message}`,
        {
          cause: error,
          details: { statement: statement.text.slice(0, 300) },
        },
      );
    }
  }

  #expect(found: number, expected: number, table: string): void {
    if (found >= expected) return;
    this.missingRows += expected - found;
    this.#logger.warn('rows to change were not found on the target; it differs from the source', {
      table,
      missing: expected - found,
    });
  }

  async flush(): Promise<void> {
    const batch = this.#batch;
    if (!batch) return;
    this.#batch = undefined;
    if (batch.kind === 'insert') {
      await this.#queue(insertRows(batch.table, batch.columns, batch.rows), undefined, batch.table);
    } else if (batch.kind === 'update') {
      const keys = batch.columns.slice(0, batch.keyCount);
      const set = batch.columns.slice(batch.keyCount);
      const [only] = batch.rows;
      // One row (the usual case when changes to several tables interleave): a plain UPDATE by key
      // plans and runs faster than a join with a one-row VALUES list.
      const statement =
        batch.rows.length === 1 && only
          ? updateRowByKey(batch.table, keys, only.slice(0, batch.keyCount), set, only.slice(batch.keyCount))
          : updateRowsByKey(batch.table, keys, set, batch.rows);
      await this.#queue(statement, batch.rows.length, batch.table);
    } else {
      await this.#queue(
        deleteRowsByKey(batch.table, batch.columns, batch.rows),
        batch.rows.length,
        batch.table,
      );
    }
  }

  /** Adds a row to the open batch, or flushes it and opens one that fits. */
  async #add(
    kind: Batch['kind'],
    table: TargetTable,
    columns: string[],
    keyCount: number,
    row: Value[],
    key: string | undefined,
    bytes: number,
  ): Promise<void> {
    const signature = `${kind}\u0001${table.sql}\u0001${keyCount}\u0001${columns.join('\u0000')}`;
    let batch = this.#batch;
    const maxRows = Math.min(
      this.#options.batchMaxRows,
      Math.floor(MAX_PARAMS / Math.max(1, columns.length)),
    );
    if (
      batch &&
      (batch.signature !== signature ||
        batch.rows.length >= maxRows ||
        batch.bytes + bytes > this.#options.batchMaxBytes ||
        (key !== undefined && batch.keys.has(key)))
    ) {
      await this.flush();
      batch = undefined;
    }
    if (!batch) {
      batch = { kind, table, columns, keyCount, signature, rows: [], keys: new Set(), bytes: 0 };
      this.#batch = batch;
    }
    batch.rows.push(row);
    batch.bytes += bytes;
    if (key !== undefined) batch.keys.add(key);
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
    const writable = (name: string) => table.columns.get(name)?.generated !== true;
    if (change.kind === 'insert') {
      const columns = Object.keys(change.new).filter((c) => change.new[c] !== undefined && writable(c));
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
      await this.flush();
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
    const keyChanged =
      change.old !== undefined &&
      keys.some((k) => change.new[k] !== undefined && change.new[k] !== change.old?.[k]);
    const setColumns = Object.keys(change.new).filter(
      (c) => change.new[c] !== undefined && writable(c) && (keyChanged || !keys.includes(c)),
    );
    if (keyChanged) {
      await this.flush();
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

  /** Flushes, records the position in the same transaction, and commits. */
  async commit(end: GroupEnd): Promise<void> {
    await this.flush();
    // Every change runs, and its row count is checked, before the position is written.
    await this.#pipeline.send();
    await this.#run({ text: WRITE_PROGRESS, values: [this.#slotName, end.commitLsn ?? null, end.endLsn] });
    await this.#client.query('COMMIT');
    this.#inTransaction = false;
  }

  async rollback(): Promise<void> {
    this.#batch = undefined;
    this.#pipeline.discard();
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    await this.#client.query('ROLLBACK');
  }
}
