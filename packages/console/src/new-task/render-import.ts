import type { ConfigProblem } from '@pgshift/plugin-api';
import { html } from 'hono/html';
import type { ConsoleSession } from '../console-app.js';
import { type ErrorView, renderError } from '../error-view.js';
import { csrfField, layout } from '../layout.js';
import { renderSummary } from './render-new-task.js';

export interface ImportView {
  /** The text to show again: secrets already replaced (see exportConfig). */
  yaml: string;
  problems: readonly ConfigProblem[];
  error?: ErrorView;
  /** Why the text is not shown again, when it could not be stripped of secrets. */
  note?: string;
}

export function renderImport(session: ConsoleSession, view: ImportView) {
  return layout(
    session,
    { title: 'Import a task', path: '/tasks/import' },
    html`<h1>Import a task</h1>
<p>Paste a task config as <code>pgshift task create</code> reads it; it is checked the same way.
Secrets written inline are stored with the task and never shown again.</p>
${renderError(view.error)}
${renderSummary(view.problems, () => 'yaml')}
${view.note ? html`<p class="note" role="status">${view.note}</p>` : ''}
<form method="post" action="/tasks/import">
${csrfField(session)}
<label for="yaml">YAML config</label>
<textarea id="yaml" name="yaml" rows="24" cols="80" spellcheck="false" required>${view.yaml}</textarea>
<button type="submit">Import</button>
</form>`,
  );
}
