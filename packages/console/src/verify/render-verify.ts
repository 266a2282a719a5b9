import type { CheckStatus } from '@pgshift/plugin-api';
import type { TaskRecord } from '@pgshift/tasks';
import { html } from 'hono/html';
import type { ConsoleSession } from '../console-app.js';
import { type ErrorView, renderError } from '../error-view.js';
import { csrfField, layout } from '../layout.js';
import { canCheck, startRefusal } from './start-rules.js';

const RESULT_WORDS: Record<CheckStatus, string> = { pass: 'Pass', warning: 'Warning', failed: 'Failed' };

export interface VerifyView {
  record: TaskRecord;
  /** What the last action on this page ran into. */
  error?: ErrorView;
  /** Masks secrets of the task's config in any text shown. */
  mask: (text: string) => string;
}

function summaryLine(record: TaskRecord) {
  const items = record.checks?.items ?? [];
  if (items.length === 0) return 'No checks have run yet.';
  const count = (s: CheckStatus) => items.filter((i) => i.status === s).length;
  return `${count('pass')} passed, ${count('warning')} with warnings, ${count('failed')} failed, of ${items.length} checks (run at ${record.checks?.at}).`;
}

/** The part of the page that changes with the record; the page's script swaps it when it does. */
export function renderVerifyLive(session: ConsoleSession, view: VerifyView) {
  const { record, mask } = view;
  const name = encodeURIComponent(record.name);
  const items = record.checks?.items ?? [];
  // The record's own error: why the checks could not run, or why the run failed.
  const recorded =
    record.error && (record.status === 'check-failed' || record.status === 'failed')
      ? {
          code: record.error.code,
          message: mask(record.error.message),
          ...(record.error.remedy ? { remedy: mask(record.error.remedy) } : {}),
        }
      : undefined;
  return html`<div data-live="verify" data-version="${record.updatedAt}" data-status="${record.status}">
<p>Status: <span data-field="status">${record.status}</span></p>
${renderError(view.error)}
${renderError(recorded)}
<p data-field="summary">${summaryLine(record)}</p>
<table class="checks">
<caption>Checks</caption>
<thead><tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col">Message</th><th scope="col">Remedy</th></tr></thead>
<tbody>
${items.map(
  (item) => html`<tr data-check="${item.id}" data-result="${item.status}">
<th scope="row">${item.title} <code>${item.id}</code></th>
<td data-field="result">${RESULT_WORDS[item.status]}</td>
<td data-field="message">${mask(item.message)}</td>
<td data-field="remedy">${item.remedy ? html`<pre>${mask(item.remedy)}</pre>` : ''}</td>
</tr>`,
)}
</tbody>
</table>
<div class="actions">
<form method="post" action="/tasks/${name}/check">${csrfField(session)}<button type="submit"${canCheck(record) ? '' : html` disabled`}>Re-run checks</button></form>
<form method="post" action="/tasks/${name}/start">${csrfField(session)}<button type="submit"${startRefusal(record) === undefined ? '' : html` disabled`}>Start</button></form>
</div>
</div>`;
}

export function renderVerify(session: ConsoleSession, view: VerifyView) {
  const name = encodeURIComponent(view.record.name);
  return layout(
    session,
    { title: `Verification of ${view.record.name}`, path: `/tasks/${name}/verify` },
    html`<h1>Verification of ${view.record.name}</h1>
${renderVerifyLive(session, view)}
<p><a href="/tasks/${name}">Task details</a> · <a href="/tasks/${name}/config.yaml">Export the config (YAML, without secrets)</a></p>
<script src="/assets/verify.js" defer></script>`,
  );
}
