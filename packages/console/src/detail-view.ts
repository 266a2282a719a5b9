import { formatBytes, lagOf, progressOf, taskEndpoints } from '@pgshift/kernel';
import { ACTIVE_STATUSES, limitsLine, type TaskRecord } from '@pgshift/tasks';
import { endpointsText, formatLag, formatSeconds, statusText } from './format.js';
import { stageRows } from './stages.js';

/**
 * What the task detail page shows, formatted: the page renders it and its script refreshes the
 * live parts from it (GET /tasks/NAME/live.json), so both show one thing.
 */
export function detailView(record: TaskRecord) {
  const progress = progressOf(record);
  const lag = lagOf(record);
  const series = record.lagSeries ?? [];
  const endpoints = taskEndpoints(record);
  return {
    name: record.name,
    mode: record.mode,
    endpointsText: endpointsText(endpoints),
    databasesText: endpoints.databases?.join(', ') ?? 'every database of the instance',
    status: record.status,
    stage: record.stage ?? null,
    statusText: statusText(record.status, record.stage),
    progress: progress.percent ?? null,
    progressText: progress.percent === undefined ? '-' : `${progress.percent.toFixed(1)}%`,
    etaText: formatSeconds(progress.etaSeconds),
    lagText: formatLag(lag.lagSeconds, lag.lagBytes),
    applyRateText: lag.applyRate === undefined ? '-' : `${lag.applyRate.toFixed(0)} tx/s`,
    stages: stageRows(record).map((s) => ({
      stage: s.stage,
      state: s.state,
      durationText: formatSeconds(s.seconds),
    })),
    tables: (record.live?.copy?.tables ?? []).map((t) => {
      const percent = t.done ? 100 : t.totalBytes ? Math.min(100, (t.bytes / t.totalBytes) * 100) : null;
      return {
        name: `${t.database}.${t.table}`,
        rows: t.rows,
        bytesText: `${formatBytes(t.bytes)}${t.totalBytes ? ` of ${formatBytes(t.totalBytes)}` : ''}`,
        percent,
        done: t.done === true,
      };
    }),
    history: record.history.map((h) => ({
      at: h.at,
      status: h.status,
      stage: h.stage ?? '',
      note: h.note ?? '',
      origin: h.origin ?? '',
    })),
    // uPlot's columns: seconds since the epoch, then one value (or null) per point of each series.
    chart: [
      series.map((p) => Date.parse(p.at) / 1000),
      series.map((p) => p.lagSeconds ?? null),
      series.map((p) => p.applyRate ?? null),
    ],
    limitsText: limitsLine(record) ?? 'as the config says (options.limits)',
    // changeTaskLimits refuses completed and cancelled tasks.
    canSetLimits: record.status !== 'completed' && record.status !== 'cancelled',
    canFinish: ACTIVE_STATUSES.includes(record.status),
    // requestControl cancels anything not completed or cancelled already (a failed run too).
    canCancel: record.status !== 'completed' && record.status !== 'cancelled',
    error: errorOf(record),
  };
}
export type DetailView = ReturnType<typeof detailView>;

/** The error to show (the run's own says more than the worker's summary): code, message, remedy only. */
function errorOf(record: TaskRecord) {
  const error = record.status === 'failed' ? (record.run?.error ?? record.error) : record.error;
  return error ? { code: error.code, message: error.message, remedy: error.remedy ?? '' } : null;
}
