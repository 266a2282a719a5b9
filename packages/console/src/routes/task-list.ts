import type { TaskLifecycle } from '@pgshift/tasks';
import { html } from 'hono/html';
import type { RouteModule } from '../console-app.js';
import { formatLag, formatSeconds, statusText } from '../format.js';
import { layout } from '../layout.js';
import { type TaskSummary, taskSummary } from '../task-views.js';

const STATUSES: readonly TaskLifecycle[] = [
  'created',
  'checking',
  'check-failed',
  'checked',
  'scheduled',
  'queued',
  'running',
  'finishing',
  'completed',
  'cancelled',
  'failed',
];

/** The schedule column: when the task starts (or started), as the record says. */
function schedule(t: TaskSummary): string {
  if (t.dueAt) return `due ${t.dueAt}`;
  if (t.startAt) return `starts ${t.startAt}`;
  return '-';
}

function row(t: TaskSummary) {
  return html`<tr data-task="${t.name}" data-status="${t.status}">
<th scope="row"><a href="/tasks/${encodeURIComponent(t.name)}">${t.name}</a></th>
<td data-field="endpoints">${t.source ?? '?'} → ${t.target ?? '?'}</td>
<td data-field="mode">${t.mode}</td>
<td data-field="status">${statusText(t.status, t.stage)}</td>
<td data-field="progress"><progress max="100"${t.progress === undefined ? '' : html` value="${t.progress.toFixed(1)}"`} aria-label="Copy progress of ${t.name}">${t.progress === undefined ? '' : `${t.progress.toFixed(0)}%`}</progress>
<span data-field="eta">${t.etaSeconds === undefined ? '' : `ETA ${formatSeconds(t.etaSeconds)}`}</span></td>
<td data-field="lag">${formatLag(t.lagSeconds, t.lagBytes)}</td>
<td data-field="schedule">${schedule(t)}</td>
</tr>`;
}

/** `/`: every task of the store, filtered by status (?status=), updated live by /events. */
export const taskListRoutes: RouteModule = (app, { store }) => {
  app.get('/', async (c) => {
    const wanted = c.req.query('status') ?? '';
    const filter = STATUSES.find((s) => s === wanted);
    const tasks = (await store.list()).map(taskSummary).filter((t) => !filter || t.status === filter);
    const body = html`<h1>Tasks</h1>
<form method="get" action="/" class="filter">
<label for="status-filter">Status</label>
<select id="status-filter" name="status">
<option value="">All</option>
${STATUSES.map((s) => html`<option value="${s}"${s === filter ? html` selected` : ''}>${s}</option>`)}
</select>
<button type="submit">Filter</button>
</form>
<table class="tasks" data-filter="${filter ?? ''}">
<caption>Tasks</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Source → target</th><th scope="col">Mode</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Lag</th><th scope="col">Schedule</th></tr></thead>
<tbody aria-live="polite" data-live="tasks">
${tasks.map(row)}
</tbody>
</table>
${tasks.length === 0 ? html`<p data-empty>No tasks${filter ? html` with status ${filter}` : ''}. <a href="/tasks/new">Create one</a>.</p>` : ''}`;
    return c.html(layout(c.get('session'), { title: 'Tasks', path: '/' }, body));
  });
};
