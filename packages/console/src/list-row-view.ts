import type { TaskSummary } from '@pgshift/kernel';
import { endpointsText, formatLag, formatSeconds, statusText } from './format.js';

/** When the task starts (or started), as the record says. */
function schedule(t: TaskSummary): string {
  if (t.dueAt) return `due ${t.dueAt}`;
  if (t.startAt) return `starts ${t.startAt}`;
  return '-';
}

/**
 * The texts of a task's row in the list: the page renders them, and /events sends them with each
 * change so the browser shows the same words without formatting anything itself.
 */
export function listRowView(t: TaskSummary) {
  return {
    endpoints: endpointsText(t),
    status: statusText(t.status, t.stage),
    progress: t.progress ?? null,
    progressText: t.progress === undefined ? '' : `${t.progress.toFixed(0)}%`,
    eta: t.etaSeconds === undefined ? '' : `ETA ${formatSeconds(t.etaSeconds)}`,
    lag: formatLag(t.lagSeconds, t.lagBytes),
    schedule: schedule(t),
  };
}
export type ListRowView = ReturnType<typeof listRowView>;
