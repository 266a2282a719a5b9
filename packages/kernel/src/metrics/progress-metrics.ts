import { createRequire } from 'node:module';
import { type ProgressEventInput, type ProgressSink, STAGES, type Stage } from '@pgshift/plugin-api';
import type { Counter, Gauge, Registry } from 'prom-client';

const require = createRequire(import.meta.url);

/**
 * prom-client, loaded with the first ProgressMetrics: it takes a third of a second to load
 * (OpenTelemetry comes with it), and only runs with --metrics-port need it.
 */
function promClient(): typeof import('prom-client') {
  return require('prom-client') as typeof import('prom-client');
}

/** Every stage a task can report, so the stage gauge has a series per stage from the start. */
export const METRIC_STAGES: readonly Stage[] = STAGES;

/**
 * Prometheus metrics fed only from progress events (teed next to the reporter): nothing here
 * polls a server. Names are documented in docs/events.md and stay stable.
 */
export class ProgressMetrics implements ProgressSink {
  readonly registry: Registry;
  readonly #tableRows: Gauge;
  readonly #tableBytes: Gauge;
  readonly #tableDone: Gauge;
  readonly #copyRows: Gauge;
  readonly #copyBytes: Gauge;
  readonly #copyTotalBytes: Gauge;
  readonly #tablesDone: Gauge;
  readonly #tablesTotal: Gauge;
  readonly #lagBytes: Gauge;
  readonly #lagSeconds: Gauge;
  readonly #applyRate: Gauge;
  readonly #applied: Counter;
  readonly #stage: Gauge;
  readonly #stageDatabase: Gauge;
  readonly #errors: Counter;
  readonly #warnings: Counter;
  readonly #lastApplied = new Map<string, number>();
  readonly #running = new Map<Stage, Set<string>>();

  constructor(labels: { task?: string } = {}) {
    const { Counter, Gauge, Registry } = promClient();
    this.registry = new Registry();
    if (labels.task !== undefined) this.registry.setDefaultLabels({ task: labels.task });
    const registers = [this.registry];
    const gauge = (name: string, help: string, labelNames: string[] = []) =>
      new Gauge({ name, help, labelNames, registers });
    const counter = (name: string, help: string, labelNames: string[] = []) =>
      new Counter({ name, help, labelNames, registers });
    const table = ['database', 'table'];
    this.#tableRows = gauge('pgshift_table_rows_copied', 'Rows copied so far, per table.', table);
    this.#tableBytes = gauge(
      'pgshift_table_bytes_copied',
      'Bytes of COPY data copied so far, per table.',
      table,
    );
    this.#tableDone = gauge('pgshift_table_copy_done', '1 when the table is fully copied, else 0.', table);
    this.#copyRows = gauge('pgshift_copy_rows', 'Rows copied so far, per database.', ['database']);
    this.#copyBytes = gauge('pgshift_copy_bytes', 'Bytes copied so far, per database.', ['database']);
    this.#copyTotalBytes = gauge(
      'pgshift_copy_total_bytes_estimate',
      'Estimated bytes to copy (from table sizes), per database.',
      ['database'],
    );
    this.#tablesDone = gauge('pgshift_copy_tables_done', 'Tables fully copied, per database.', ['database']);
    this.#tablesTotal = gauge('pgshift_copy_tables_total', 'Tables to copy, per database.', ['database']);
    this.#lagBytes = gauge('pgshift_lag_bytes', 'WAL bytes the target is behind the source, per database.', [
      'database',
    ]);
    this.#lagSeconds = gauge(
      'pgshift_lag_seconds',
      'Seconds between now and the commit time of the last applied source transaction, per database.',
      ['database'],
    );
    this.#applyRate = gauge(
      'pgshift_apply_rate_transactions_per_second',
      'Source transactions applied per second over the last few seconds, per database.',
      ['database'],
    );
    this.#applied = counter(
      'pgshift_transactions_applied_total',
      'Source transactions applied on the target.',
      ['database'],
    );
    this.#stage = gauge(
      'pgshift_stage',
      '1 for the stage running now (or "done" at the end), 0 for the others.',
      ['stage'],
    );
    this.#stageDatabase = gauge('pgshift_stage_running', '1 while the stage runs for the database, else 0.', [
      'stage',
      'database',
    ]);
    this.#errors = counter(
      'pgshift_errors_total',
      'Stages that failed, and errors recorded with recordError().',
      ['stage'],
    );
    this.#warnings = counter('pgshift_warnings_total', 'Warning messages reported by the run.');
    for (const stage of METRIC_STAGES) this.#stage.set({ stage }, 0);
    this.#errors.inc({ stage: 'none' }, 0);
    this.#warnings.inc(0);
  }

  emit(event: ProgressEventInput): void {
    switch (event.type) {
      case 'stage':
        this.#onStage(event.stage, event.state, event.database);
        return;
      case 'table-progress': {
        const labels = { database: event.database, table: event.table };
        this.#tableRows.set(labels, event.rows);
        this.#tableBytes.set(labels, event.bytes);
        this.#tableDone.set(labels, event.done ? 1 : 0);
        return;
      }
      case 'copy-progress': {
        const labels = { database: event.database ?? '' };
        this.#copyRows.set(labels, event.rows);
        this.#copyBytes.set(labels, event.bytes);
        this.#copyTotalBytes.set(labels, event.totalBytes);
        this.#tablesDone.set(labels, event.tablesDone);
        this.#tablesTotal.set(labels, event.tablesTotal);
        return;
      }
      case 'lag': {
        const labels = { database: event.database };
        this.#lagBytes.set(labels, Number(event.lagBytes));
        this.#lagSeconds.set(labels, event.lagSeconds);
        this.#applyRate.set(labels, event.applyRate);
        if (event.transactionsApplied !== undefined) {
          // The follower counts from zero on each run; a drop means a new run, not fewer transactions.
          const last = this.#lastApplied.get(event.database) ?? 0;
          const delta =
            event.transactionsApplied >= last ? event.transactionsApplied - last : event.transactionsApplied;
          this.#applied.inc(labels, delta);
          this.#lastApplied.set(event.database, event.transactionsApplied);
        } else this.#applied.inc(labels, 0);
        return;
      }
      case 'message':
        if (event.level === 'warn') this.#warnings.inc();
        return;
    }
  }

  /** Counts an error that ended the run outside any stage event (the CLI calls it on a throw). */
  recordError(stage = 'none'): void {
    this.#errors.inc({ stage });
  }

  /** The text a scrape returns (Prometheus exposition format). */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  #onStage(stage: Stage, state: 'started' | 'done' | 'failed', database: string | undefined) {
    const running = this.#running.get(stage) ?? new Set<string>();
    this.#running.set(stage, running);
    const key = database ?? '';
    if (database !== undefined) this.#stageDatabase.set({ stage, database }, state === 'started' ? 1 : 0);
    if (state === 'started') running.add(key);
    else running.delete(key);
    if (state === 'failed') this.#errors.inc({ stage });
    // The current stage is the one that started last; 'done' marks the end of the task.
    if (state === 'started' || (stage === 'done' && state === 'done')) {
      for (const s of METRIC_STAGES) this.#stage.set({ stage: s }, s === stage ? 1 : 0);
    } else if (running.size === 0 && state === 'done') {
      this.#stage.set({ stage }, 0);
    }
  }
}
