import { type TaskSummary, taskSummary } from '@pgshift/kernel';
import type { TaskLifecycle } from '@pgshift/tasks';
import { html } from 'hono/html';
import type { RouteModule } from '../console-app.js';
import { layout } from '../layout.js';
import { listRowView } from '../list-row-view.js';

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

function row(t: TaskSummary) {
  const v = listRowView(t);
  return html`<tr data-task="${t.name}" data-status="${t.status}">
<th scope="row"><a href="/tasks/${encodeURIComponent(t.name)}">${t.name}</a></th>
<td data-field="endpoints">${v.endpoints}</td>
<td data-field="mode">${t.mode}</td>
<td data-field="status">${v.status}</td>
<td data-field="progress"><progress max="100"${v.progress === null ? '' : html` value="${v.progress.toFixed(1)}"`} aria-label="Copy progress of ${t.name}">${v.progressText}</progress>
<span data-field="eta">${v.eta}</span></td>
<td data-field="lag">${v.lag}</td>
<td data-field="schedule">${v.schedule}</td>
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
