import { lsnToBigInt } from '@pgshift/pg';
import { lagFigures, type ReplicationContext } from '@pgshift/plugin-api';
import type pg from 'pg';
import type { LagTracker } from './lag-tracker.js';

/** `lag` progress events from the tracker's figures, and the source position polls behind them. */
export class LagReporter {
  readonly #ctx: ReplicationContext;
  readonly #tracker: LagTracker;

  constructor(ctx: ReplicationContext, tracker: LagTracker) {
    this.#ctx = ctx;
    this.#tracker = tracker;
  }

  emit(): void {
    this.#ctx.progress.emit({
      type: 'lag',
      database: this.#ctx.database.name,
      ...lagFigures(this.#tracker.status()),
    });
  }

  /**
   * Every `intervalMs`, reads the source's WAL position with `walPosition` (an SQL expression) on
   * `client`, then emits; a poll still running is not started again.
   */
  poll(client: pg.Client, walPosition: string, intervalMs: number): NodeJS.Timeout {
    let polling = false;
    return setInterval(() => {
      if (polling) return;
      polling = true;
      client
        .query<{ lsn: string }>(`SELECT ${walPosition}::text AS lsn`)
        .then((r) => r.rows[0] && this.#tracker.seeSource(lsnToBigInt(r.rows[0].lsn)))
        .catch(() => {})
        .finally(() => {
          polling = false;
          this.emit();
        });
    }, intervalMs);
  }
}
