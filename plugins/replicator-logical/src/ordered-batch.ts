import type { CheckedStatement } from './folded-changes.js';
import type { Value } from './model.js';
import { deleteRowsByKey, insertRows, updateRowByKey, updateRowsByKey } from './statements.js';
import type { TargetTable } from './target-catalog.js';

export type BatchKind = 'insert' | 'update' | 'delete';

/** Two column lists name the same columns in the same order. */
export const sameColumns = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((name, i) => name === b[i]);

/**
 * Consecutive row changes of one shape (kind, table, columns), kept in source order and sent as
 * one statement. Used where changes may not be folded (see reorder-safety.ts): a row joins only
 * while nothing of another shape came in between, and never twice for the same key.
 */
export class OrderedBatch {
  readonly rows: Value[][] = [];
  readonly #keys = new Set<string>();
  bytes = 0;

  /**
   * @param columns insert: its columns; update: key columns then set columns; delete: key columns.
   */
  constructor(
    readonly kind: BatchKind,
    readonly table: TargetTable,
    readonly columns: string[],
    readonly keyCount: number,
  ) {}

  /** Whether a row can join: same statement shape, within the limits, its key not in it yet. */
  fits(
    kind: BatchKind,
    table: TargetTable,
    columns: string[],
    keyCount: number,
    key: string | undefined,
    bytes: number,
    limits: { maxRows: number; maxBytes: number },
  ): boolean {
    return (
      this.kind === kind &&
      this.table === table &&
      this.keyCount === keyCount &&
      sameColumns(this.columns, columns) &&
      this.rows.length < limits.maxRows &&
      this.bytes + bytes <= limits.maxBytes &&
      (key === undefined || !this.#keys.has(key))
    );
  }

  add(row: Value[], key: string | undefined, bytes: number): void {
    this.rows.push(row);
    this.bytes += bytes;
    if (key !== undefined) this.#keys.add(key);
  }

  /** The statement that applies the batch, and the row count it must report. */
  statement(): CheckedStatement {
    const { table, rows, keyCount } = this;
    if (this.kind === 'insert')
      return { statement: insertRows(table, this.columns, rows), expected: undefined };
    if (this.kind === 'delete')
      return { statement: deleteRowsByKey(table, this.columns, rows), expected: rows.length };
    const keys = this.columns.slice(0, keyCount);
    const set = this.columns.slice(keyCount);
    const [only] = rows;
    // One row (the usual case when changes to several tables interleave): a plain UPDATE by key
    // plans and runs faster than a join with a one-row VALUES list.
    const statement =
      rows.length === 1 && only
        ? updateRowByKey(table, keys, only.slice(0, keyCount), set, only.slice(keyCount))
        : updateRowsByKey(table, keys, set, rows);
    return { statement, expected: rows.length };
  }
}
