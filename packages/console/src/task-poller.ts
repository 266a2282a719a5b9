import { type TaskSummary, taskSummary } from '@pgshift/kernel';
import type { TaskRecord, TaskStore } from '@pgshift/tasks';

export type TaskListener = (summary: TaskSummary) => void;

/**
 * One reader of the store for every open page: while anyone listens it lists the tasks every
 * `intervalMs` and tells the listeners about each task whose record changed since the last look.
 * One query a second whatever the number of browsers; a store error is reported once per run of
 * errors and polling goes on.
 */
export class TaskPoller {
  readonly #listeners = new Set<TaskListener>();
  readonly #seen = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  #failing = false;

  constructor(
    private readonly store: TaskStore,
    private readonly intervalMs = 1000,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Listens until the returned function is called; the first listener starts the polling. */
  subscribe(listener: TaskListener): () => void {
    this.#listeners.add(listener);
    if (!this.#timer) {
      this.#seen.clear();
      // The first look only learns the current state: pages were rendered from it already.
      void this.#poll(false);
      this.#timer = setInterval(() => void this.#poll(true), this.intervalMs);
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(emit: boolean): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const records = await this.store.list();
      this.#failing = false;
      for (const record of records) {
        const summary = taskSummary(record);
        const key = changeKey(record, summary);
        if (this.#seen.get(record.name) === key) continue;
        this.#seen.set(record.name, key);
        if (emit) for (const listener of this.#listeners) listener(summary);
      }
    } catch (error) {
      if (!this.#failing) this.onError(error);
      this.#failing = true;
    } finally {
      this.#polling = false;
    }
  }
}

/** What says a task changed: its summary, and the times its record and live figures were written. */
function changeKey(record: TaskRecord, summary: TaskSummary): string {
  return `${record.updatedAt}|${record.live?.at ?? ''}|${JSON.stringify(summary)}`;
}
