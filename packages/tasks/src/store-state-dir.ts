import type { Stage, TaskLimits } from '@pgshift/plugin-api';
import { appendLagSample } from './lag-series.js';
import { type ControlRequest, type LiveStatus, StateDir } from './state-dir.js';
import type { TaskLifecycle, TaskRecord } from './task-record.js';
import type { TaskState, TaskStatus } from './task-state.js';
import type { TaskStore } from './task-store.js';

const STATUS_OF_RUN: Record<TaskStatus, TaskLifecycle> = {
  running: 'running',
  following: 'running',
  finishing: 'finishing',
  completed: 'completed',
  cancelled: 'cancelled',
  failed: 'failed',
};

/**
 * The run's state directory, mirrored into the task store: every state.json write goes to the
 * record too (its transitions become task history with their times), and finish/cancel requests
 * and limit changes come from the record, so they work from any machine.
 */
export class StoreStateDir extends StateDir {
  private pending: Promise<unknown> = Promise.resolve();
  private mirrored: number;
  private control: ControlRequest | undefined;
  private limits: TaskLimits | undefined;
  /** Set once a write to the store failed; the worker reports it. */
  lastError: unknown;

  constructor(
    path: string,
    private readonly store: TaskStore,
    private readonly name: string,
    private readonly workerId: string,
    already: TaskState | undefined,
  ) {
    super(path);
    this.mirrored = already?.transitions.length ?? 0;
  }

  /** Queues a change to the record; changes apply in order. */
  private change(mutate: (record: TaskRecord) => void): void {
    this.pending = this.pending.then(() =>
      this.store
        .update(this.name, (record) => {
          mutate(record);
          return true;
        })
        .catch((error: unknown) => {
          this.lastError = error;
        }),
    );
  }

  /** Resolves once every queued change is stored. */
  async flush(): Promise<void> {
    await this.pending;
  }

  override writeState(state: TaskState): void {
    super.writeState(state);
    const snapshot = structuredClone(state);
    // A new run starts a new transitions list.
    if (snapshot.transitions.length < this.mirrored) this.mirrored = 0;
    const fresh = snapshot.transitions.slice(this.mirrored);
    this.mirrored = snapshot.transitions.length;
    this.change((record) => {
      record.run = snapshot;
      for (const t of fresh) {
        record.status = STATUS_OF_RUN[t.status];
        record.stage = t.stage as Stage;
        // The stage's progress event (recordStage) may have put it in the history first.
        const last = record.history.at(-1);
        if (t.note === undefined && last?.status === record.status && last.stage === t.stage) continue;
        record.history.push({
          status: STATUS_OF_RUN[t.status],
          stage: t.stage,
          at: t.at,
          worker: this.workerId,
          ...(t.note === undefined ? {} : { note: t.note }),
        });
      }
    });
  }

  /** A stage the run's progress events announce (full-copy, post-data, ...) joins the history. */
  recordStage(stage: Stage, at: string): void {
    this.change((record) => {
      if (record.stage === stage) return;
      record.stage = stage;
      record.history.push({ status: record.status, stage, at, worker: this.workerId });
    });
  }

  /** Something the run did that the history keeps (a schema change followed), at the current status. */
  recordNote(note: string, at: string): void {
    this.change((record) => {
      record.history.push({
        status: record.status,
        ...(record.stage === undefined ? {} : { stage: record.stage }),
        at,
        note,
        worker: this.workerId,
      });
    });
  }

  override readControl(): ControlRequest | undefined {
    return this.control;
  }

  /** The worker refreshes the request from the record while the run lasts. */
  setControl(control: ControlRequest | undefined): void {
    this.control = control;
  }

  override readLimits(): TaskLimits | undefined {
    return this.limits;
  }

  /** The worker refreshes the limit changes (`task set`) from the record while the run lasts. */
  setLimits(limits: TaskLimits | undefined): void {
    this.limits = limits;
  }

  override clearControl(): void {
    super.clearControl();
    const seen = this.control;
    this.control = undefined;
    if (!seen) return;
    this.change((record) => {
      if (record.control?.at === seen.at) delete record.control;
    });
  }

  override writeLive(live: LiveStatus): void {
    super.writeLive(live);
    this.change((record) => {
      record.live = { ...(record.live ?? {}), at: live.at, databases: live.databases };
      record.lagSeries = appendLagSample(record.lagSeries, live);
    });
  }
}
