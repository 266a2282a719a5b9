import { expectedStages, STAGES, type Stage } from '@pgshift/plugin-api';
import { ACTIVE_STATUSES, FINAL_STATUSES, type TaskRecord } from '@pgshift/tasks';

export type StageState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface StageRow {
  stage: Stage;
  state: StageState;
  startedAt?: string;
  /** How long it ran (so far, while it runs). */
  seconds?: number;
}

/**
 * The stages of a task with their state and duration: the ones its mode goes through
 * (expectedStages) and any other it reported (catch-up, finishing). Times come from the run's
 * transitions (durable, per stage), else from the task history.
 */
export function stageRows(record: TaskRecord, now = Date.now()): StageRow[] {
  const entries: { stage?: Stage; at: string }[] = record.run?.transitions ?? record.history;
  const marks = entries
    .flatMap((m) => (m.stage === undefined ? [] : [{ stage: m.stage, at: Date.parse(m.at) }]))
    .sort((a, b) => a.at - b.at);
  const reported = new Set(marks.map((m) => m.stage));
  const shown = STAGES.filter((s) => expectedStages(record.mode).includes(s) || reported.has(s));
  const final = FINAL_STATUSES.includes(record.status);
  const endOfRun = final ? Date.parse(record.history.at(-1)?.at ?? record.updatedAt) : now;
  return shown.map((stage) => {
    const first = marks.findIndex((m) => m.stage === stage);
    if (first < 0) return { stage, state: 'pending' };
    const start = marks[first]?.at ?? now;
    const next = marks.slice(first + 1).find((m) => m.stage !== stage);
    const end = next?.at ?? endOfRun;
    const state = next ? 'done' : stateOfCurrent(record, stage);
    return {
      stage,
      state,
      startedAt: new Date(start).toISOString(),
      ...(stage === 'done' ? {} : { seconds: Math.max(0, (end - start) / 1000) }),
    };
  });
}

function stateOfCurrent(record: TaskRecord, stage: Stage): StageState {
  if (record.status === 'failed' || record.status === 'check-failed') return 'failed';
  if (record.status === 'cancelled') return 'cancelled';
  if (ACTIVE_STATUSES.includes(record.status) && record.stage === stage) return 'running';
  return 'done';
}
