import type { ProgressEventInput } from '@pgshift/plugin-api';

type TableProgress = Extract<ProgressEventInput, { type: 'table-progress' }>;

/**
 * One table's copy, as `task show` and the console's detail page list it: its latest
 * table-progress event (totalBytes, the table's size on disk, estimates what COPY sends).
 */
export type TableCopy = Omit<TableProgress, 'type'>;

/** Tables kept on the record: a task of thousands of tables must not make it grow without end. */
export const TABLE_COPIES_KEPT = 200;

/**
 * The latest progress of every table of a run's copy (from its table-progress events), and the
 * bounded list the record keeps: tables being copied first, then the most recently finished,
 * then those not started yet, at most TABLE_COPIES_KEPT.
 */
export function tableCopies() {
  const tables = new Map<string, TableCopy & { order: number }>();
  let events = 0;
  return {
    add(event: TableProgress): void {
      const key = `${event.database}\u0000${event.table}`;
      const before = tables.get(key);
      const { type: _type, ...copy } = event;
      tables.set(key, {
        ...copy,
        // When it finished: the latest finished come first.
        order: before?.done ? before.order : ++events,
      });
    },
    list(): TableCopy[] | undefined {
      if (tables.size === 0) return undefined;
      const all = [...tables.values()];
      const started = (t: TableCopy) => t.rows > 0 || t.bytes > 0;
      // Stable orders, so a page updated live does not reshuffle its rows.
      const byName = (a: TableCopy, b: TableCopy) =>
        a.database.localeCompare(b.database) || a.table.localeCompare(b.table);
      const copying = all.filter((t) => !t.done && started(t)).sort(byName);
      const done = all.filter((t) => t.done).sort((a, b) => b.order - a.order);
      const waiting = all.filter((t) => !t.done && !started(t)).sort(byName);
      return [...copying, ...done, ...waiting]
        .slice(0, TABLE_COPIES_KEPT)
        .map(({ order: _order, ...table }) => table);
    },
  };
}
