import { PgshiftError } from '@pgshift/plugin-api';
import { changeTaskLimits, requestControl, type TaskStore } from '@pgshift/tasks';
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ConsoleEnv, RouteModule } from '../console-app.js';
import { type DetailView, detailView } from '../detail-view.js';
import { csrfField, layout } from '../layout.js';
import { limitsChangeOf, limitsSection } from '../limits-form.js';
import { taskNotFound } from './not-found.js';

function stagesRows(v: DetailView) {
  return v.stages.map(
    (s) =>
      html`<tr data-stage="${s.stage}" data-state="${s.state}"><th scope="row">${s.stage}</th><td>${s.state}</td><td>${s.durationText}</td></tr>`,
  );
}

function tablesRows(v: DetailView) {
  return v.tables.map(
    (
      t,
    ) => html`<tr data-table="${t.name}"><th scope="row">${t.name}</th><td>${t.rows}</td><td>${t.bytesText}</td>
<td><progress max="100"${t.percent === null ? '' : html` value="${t.percent.toFixed(1)}"`} aria-label="Copy progress of ${t.name}"></progress>${t.done ? ' done' : ''}</td></tr>`,
  );
}

function historyRows(v: DetailView) {
  return v.history.map(
    (h) =>
      html`<tr><td><time datetime="${h.at}">${h.at}</time></td><td>${h.status}</td><td>${h.stage}</td><td>${h.note}</td><td>${h.origin}</td></tr>`,
  );
}

function page(c: Context<ConsoleEnv>, v: DetailView, notice?: string) {
  const session = c.get('session');
  const path = `/tasks/${encodeURIComponent(v.name)}`;
  const body = html`<h1>${v.name}</h1>
<div data-task-detail="${v.name}">
${notice ? html`<p role="alert" class="notice">${notice}</p>` : ''}
<dl class="facts">
<dt>Source → target</dt><dd>${v.endpointsText}</dd>
<dt>Mode</dt><dd>${v.mode}</dd>
<dt>Databases</dt><dd>${v.databasesText}</dd>
</dl>
<dl class="facts" aria-live="polite">
<dt>Status</dt><dd data-live="status">${v.statusText}</dd>
<dt>Progress</dt><dd><progress max="100" data-live="progress"${v.progress === null ? '' : html` value="${v.progress.toFixed(1)}"`} aria-label="Copy progress"></progress> <span data-live="progress-text">${v.progressText}</span></dd>
<dt>ETA</dt><dd data-live="eta">${v.etaText}</dd>
<dt>Lag</dt><dd data-live="lag">${v.lagText}</dd>
<dt>Apply rate</dt><dd data-live="apply-rate">${v.applyRateText}</dd>
</dl>
${v.error ? html`<div class="error" role="alert"><p><strong>${v.error.code}</strong>: ${v.error.message}</p>${v.error.remedy ? html`<p>${v.error.remedy}</p>` : ''}</div>` : ''}
<div class="actions">
<form method="post" action="${path}/finish">${csrfField(session)}<button type="submit"${v.canFinish ? '' : html` disabled`}>Finish</button></form>
<form method="post" action="${path}/cancel">${csrfField(session)}<button type="submit" class="danger"${v.canCancel ? '' : html` disabled`}>Cancel</button></form>
<a href="${path}/verify">Verification</a>
<a href="${path}/config.yaml">Config (YAML, no secrets)</a>
<a href="/api/tasks/${encodeURIComponent(v.name)}">JSON</a>
</div>
<section aria-labelledby="stages-h"><h2 id="stages-h">Stages</h2>
<table><thead><tr><th scope="col">Stage</th><th scope="col">State</th><th scope="col">Duration</th></tr></thead>
<tbody data-live="stages">${stagesRows(v)}</tbody></table></section>
<section aria-labelledby="copy-h"><h2 id="copy-h">Copy progress</h2>
<table><thead><tr><th scope="col">Table</th><th scope="col">Rows</th><th scope="col">Bytes</th><th scope="col">Progress</th></tr></thead>
<tbody data-live="tables">${tablesRows(v)}</tbody></table></section>
<section aria-labelledby="lag-h"><h2 id="lag-h">Lag and apply rate</h2>
<div class="chart" data-chart="${path}/live.json" role="img" aria-label="Chart of lag (seconds) and apply rate (transactions per second) over time"></div>
<p data-live="chart-empty">${v.chart[0]?.length ? '' : 'No lag measured yet: the chart fills while the task follows the source.'}</p></section>
${limitsSection(session, v.name, v.limitsText, v.canSetLimits)}
<section aria-labelledby="history-h"><h2 id="history-h">History</h2>
<table><thead><tr><th scope="col">Time</th><th scope="col">Status</th><th scope="col">Stage</th><th scope="col">Note</th><th scope="col">Origin</th></tr></thead>
<tbody data-live="history">${historyRows(v)}</tbody></table></section>
</div>`;
  return layout(session, { title: v.name, path, chart: true }, body);
}

async function load(store: TaskStore, name: string) {
  return store.get(name);
}

/** `/tasks/NAME`: stages, copy progress, lag chart, limits, history; Finish, Cancel, Set limits; its live JSON. */
export const taskDetailRoutes: RouteModule = (app, { store }) => {
  app.get('/tasks/:name', async (c) => {
    const record = await load(store, c.req.param('name'));
    if (!record) return taskNotFound(c, c.req.param('name'));
    return c.html(page(c, detailView(record)));
  });

  app.get('/tasks/:name/live.json', async (c) => {
    const record = await load(store, c.req.param('name'));
    if (!record) return taskNotFound(c, c.req.param('name'));
    return c.json(detailView(record));
  });

  // Finish, Cancel and Set limits: each recorded with the session's origin; a refusal is shown on the page.
  const actions = {
    finish: (c: Context<ConsoleEnv>, name: string) =>
      requestControl(store, name, 'finish', { keepState: false, origin: c.get('session').origin }),
    cancel: (c: Context<ConsoleEnv>, name: string) =>
      requestControl(store, name, 'cancel', { keepState: false, origin: c.get('session').origin }),
    limits: async (c: Context<ConsoleEnv>, name: string) =>
      changeTaskLimits(store, name, limitsChangeOf(await c.req.parseBody()), {
        origin: c.get('session').origin,
      }),
  };
  for (const [action, run] of Object.entries(actions)) {
    app.post(`/tasks/:name/${action}`, async (c) => {
      const name = c.req.param('name');
      try {
        await run(c, name);
      } catch (error) {
        if (!(error instanceof PgshiftError)) throw error;
        const record = await load(store, name);
        if (!record) return taskNotFound(c, name);
        return c.html(
          page(c, detailView(record), `${error.message}${error.remedy ? `: ${error.remedy}` : ''}`),
          409,
        );
      }
      return c.redirect(`/tasks/${encodeURIComponent(name)}`, 303);
    });
  }
};
