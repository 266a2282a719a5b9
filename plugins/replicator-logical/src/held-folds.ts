import type { FoldableChange, FoldedTableChanges } from './folded-changes.js';
import { sameColumns } from './ordered-batch.js';
import type { TargetTable } from './target-catalog.js';

/**
 * The fold stage's store: per table, the group's changes folded per key (FoldedTableChanges), and
 * the rows and bytes held over all tables, whose limits bound the memory folding takes.
 */
export class HeldFolds {
  /** Per table (quoted name). */
  readonly #folds = new Map<string, FoldedTableChanges>();
  readonly #maxRows: number;
  readonly #maxBytes: number;
  #rows = 0;
  #bytes = 0;

  constructor(maxRows: number, maxBytes: number) {
    this.#maxRows = maxRows;
    this.#maxBytes = maxBytes;
  }

  /** The fold held for `table` when it is of this definition of the table and of this key. */
  matching(table: TargetTable, keyColumns: readonly string[]): FoldedTableChanges | undefined {
    const held = this.#folds.get(table.sql);
    return held && held.table === table && sameColumns(held.keyColumns, keyColumns) ? held : undefined;
  }

  /** The fold held under the table's name, whatever its definition. */
  heldFor(table: TargetTable): FoldedTableChanges | undefined {
    return this.#folds.get(table.sql);
  }

  hold(folded: FoldedTableChanges): void {
    this.#folds.set(folded.table.sql, folded);
  }

  /**
   * Folds a change into `folded` and keeps the totals; false when it cannot follow what is held
   * for its row (nothing changed then).
   */
  add(folded: FoldedTableChanges, change: FoldableChange): boolean {
    const rows = folded.size;
    const bytes = folded.bytes;
    if (!folded.add(change)) return false;
    this.#rows += folded.size - rows;
    this.#bytes += folded.bytes - bytes;
    return true;
  }

  /** The folded rows reached a limit: they are to be sent before more are held. */
  get full(): boolean {
    return this.#rows >= this.#maxRows || this.#bytes >= this.#maxBytes;
  }

  /** Stops holding `folded`, if it is held: its changes are to be sent now. */
  release(folded: FoldedTableChanges): boolean {
    if (this.#folds.get(folded.table.sql) !== folded) return false;
    this.#folds.delete(folded.table.sql);
    this.#forget(folded);
    return true;
  }

  /** Stops holding every fold, and returns them in the order they were first held. */
  releaseAll(): FoldedTableChanges[] {
    const all = [...this.#folds.values()];
    this.#folds.clear();
    for (const folded of all) this.#forget(folded);
    return all;
  }

  #forget(folded: FoldedTableChanges): void {
    this.#rows -= folded.size;
    this.#bytes -= folded.bytes;
  }

  /** Forgets everything (the group is rolled back). */
  clear(): void {
    this.#folds.clear();
    this.#rows = 0;
    this.#bytes = 0;
  }
}
