import type { DeleteChange, InsertChange, Row, UpdateChange, Value } from './model.js';
import { rowBytes } from './model.js';
import {
  deleteRowsByKey,
  insertRows,
  type Statement,
  updateRowByKey,
  updateRowsByKey,
} from './statements.js';
import type { TargetTable } from './target-catalog.js';

/**
 * What the changes of one group did to one row, as far as they have been folded:
 * - insert: the row was not there before the group; `row` is all of it.
 * - replace: the row was there, was deleted and inserted again; `row` is all of the new one.
 * - update: the row was there; `row` holds the values received (undefined: keep the target's).
 * - delete: the row was there and is gone.
 */
type NetChange =
  | { op: 'insert' | 'replace' | 'update'; key: Value[]; row: Row }
  | { op: 'delete'; key: Value[]; row: undefined };

/** A statement to run and the row count it must report (undefined: not checked). */
export interface CheckedStatement {
  statement: Statement;
  expected: number | undefined;
}

/** A change whose key does not change (key-changing updates are applied in order instead). */
export type FoldableChange = InsertChange | UpdateChange | DeleteChange;

/** Copies the defined values of `from` over `into` (undefined is an unchanged TOAST value). */
function overlay(into: Row, from: Row): void {
  for (const name in from) {
    const value = from[name];
    if (value !== undefined) into[name] = value;
  }
}

/** Splits `items` into runs of at most `size`. */
function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Groups rows by the exact list of columns they carry, so each group fits one statement. */
function byColumns(
  entries: NetChange[],
  columnsOf: (row: Row) => string[],
): Map<string, { columns: string[]; entries: NetChange[] }> {
  const groups = new Map<string, { columns: string[]; entries: NetChange[] }>();
  for (const entry of entries) {
    if (!entry.row) continue;
    const columns = columnsOf(entry.row);
    if (columns.length === 0) continue;
    const signature = columns.join('\u0000');
    let group = groups.get(signature);
    if (!group) {
      group = { columns, entries: [] };
      groups.set(signature, group);
    }
    group.entries.push(entry);
  }
  return groups;
}

/**
 * The changes a group made to one table, folded per key into each row's net change, so that
 * thousands of one-row changes become a few statements of hundreds of rows: a DELETE for the rows
 * that went (or were replaced), an INSERT for the rows that came, an UPDATE per set of changed
 * columns. Only for tables whose changes to different keys commute (see reorder-safety.ts); the
 * changes of one key are folded in their source order, so the net effect is the source's.
 */
export class FoldedTableChanges {
  readonly table: TargetTable;
  readonly keyColumns: readonly string[];
  readonly #entries = new Map<string, NetChange>();
  #bytes = 0;

  constructor(table: TargetTable, keyColumns: readonly string[]) {
    this.table = table;
    this.keyColumns = keyColumns;
  }

  /** Rows held, one per key. */
  get size(): number {
    return this.#entries.size;
  }

  /** Rough bytes of the values received (an upper bound of what is held). */
  get bytes(): number {
    return this.#bytes;
  }

  #keyOf(row: Row): { id: string; key: Value[] } {
    const key = this.keyColumns.map((column) => row[column]);
    // Key values are never NULL, and text from PostgreSQL never holds NUL: a safe separator.
    return { id: key.length === 1 ? String(key[0]) : key.join('\u0000'), key };
  }

  /**
   * Folds a change into its row's net change. Takes ownership of the change's rows. Returns false
   * when the change cannot follow what is held for its key (an insert of a row that exists, an
   * update of a row deleted in this group): the caller then applies what is held and adds the
   * change again, so the target reports the conflict just as the source order would.
   */
  add(change: FoldableChange): boolean {
    const source =
      change.kind === 'delete'
        ? change.old
        : change.kind === 'update'
          ? (change.old ?? change.new)
          : change.new;
    const { id, key } = this.#keyOf(source);
    const held = this.#entries.get(id);
    const next = this.#fold(held, change, key);
    if (next === false) return false;
    if (next === undefined) this.#entries.delete(id);
    else this.#entries.set(id, next);
    this.#bytes += change.bytes ?? rowBytes(change.kind === 'delete' ? change.old : change.new);
    return true;
  }

  #fold(held: NetChange | undefined, change: FoldableChange, key: Value[]): NetChange | undefined | false {
    if (change.kind === 'insert') {
      if (!held) return { op: 'insert', key, row: change.new };
      if (held.op === 'delete') return { op: 'replace', key, row: change.new };
      return false;
    }
    if (change.kind === 'update') {
      if (!held) return { op: 'update', key, row: change.new };
      if (held.op === 'delete') return false;
      overlay(held.row, change.new);
      return held;
    }
    if (!held || held.op === 'update' || held.op === 'replace') return { op: 'delete', key, row: undefined };
    // Inserted in this group and deleted again: nothing to do on the target.
    if (held.op === 'insert') return undefined;
    return false;
  }

  /** The statements that make the target hold the net changes, and forgets them. */
  drain(maxRows: number): CheckedStatement[] {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    this.#bytes = 0;
    const out: CheckedStatement[] = [];
    const keys = [...this.keyColumns];
    // Deletes first: a replaced row must be gone before it comes back.
    this.#deletes(entries, keys, maxRows, out);
    this.#inserts(entries, maxRows, out);
    this.#updates(entries, keys, maxRows, out);
    return out;
  }

  #writable(name: string): boolean {
    return this.table.columns.get(name)?.generated !== true;
  }

  #deletes(entries: NetChange[], keys: string[], maxRows: number, out: CheckedStatement[]): void {
    const gone = entries.filter((e) => e.op === 'delete' || e.op === 'replace');
    for (const part of chunks(gone, maxRows))
      out.push({
        statement: deleteRowsByKey(
          this.table,
          keys,
          part.map((e) => e.key),
        ),
        expected: part.length,
      });
  }

  #inserts(entries: NetChange[], maxRows: number, out: CheckedStatement[]): void {
    const inserted = entries.filter((e) => e.op === 'insert' || e.op === 'replace');
    const insertColumns = (row: Row) =>
      Object.keys(row).filter((c) => row[c] !== undefined && this.#writable(c));
    for (const { columns, entries: group } of byColumns(inserted, insertColumns).values())
      for (const part of chunks(group, maxRows))
        out.push({
          statement: insertRows(
            this.table,
            columns,
            part.map((e) => columns.map((c) => e.row?.[c])),
          ),
          expected: undefined,
        });
  }

  #updates(entries: NetChange[], keys: string[], maxRows: number, out: CheckedStatement[]): void {
    const table = this.table;
    const updated = entries.filter((e) => e.op === 'update');
    const setColumns = (row: Row) =>
      Object.keys(row).filter((c) => row[c] !== undefined && this.#writable(c) && !keys.includes(c));
    for (const { columns, entries: group } of byColumns(updated, setColumns).values())
      for (const part of chunks(group, maxRows)) {
        const [only] = part;
        // One row: a plain UPDATE by key plans and runs faster than a join with a VALUES list.
        const statement =
          part.length === 1 && only?.row
            ? updateRowByKey(
                table,
                keys,
                only.key,
                columns,
                columns.map((c) => only.row?.[c]),
              )
            : updateRowsByKey(
                table,
                keys,
                columns,
                part.map((e) => [...e.key, ...columns.map((c) => e.row?.[c])]),
              );
        out.push({ statement, expected: part.length });
      }
  }
}
