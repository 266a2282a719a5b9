import type { ConfigProblem, PluginDefinition } from '@pgshift/plugin-api';
import { html } from 'hono/html';
import type { ConsoleSession } from '../console-app.js';
import { type ErrorView, renderError } from '../error-view.js';
import { csrfField, layout } from '../layout.js';
import { problemField, problemLine, problemsByField } from './field-problems.js';
import { fieldsOf } from './form-model.js';
import { coreNodes, endpointNodes, SIDES, type Side } from './new-task-form.js';
import { fieldId, renderNodes } from './render-fields.js';

export interface NewTaskView {
  connectors: readonly PluginDefinition[];
  access: Readonly<Record<Side, string>>;
  values: Readonly<Record<string, string>>;
  problems: readonly ConfigProblem[];
  error?: ErrorView;
}

/** Where a summary line links: the input of the field (in the shown connector's fieldset). */
function anchorOf(problem: ConfigProblem, view: NewTaskView): string | undefined {
  const path = problemField(problem);
  if (fieldsOf(coreNodes()).some((f) => f.path === path)) return fieldId('core', path);
  const side = SIDES.find((s) => path === `${s}.access` || path.startsWith(`${s}.`));
  if (!side) return undefined;
  if (path === `${side}.access`) return fieldId('core', path);
  return fieldId(`${side}-${view.access[side]}`, path);
}

export function renderSummary(
  problems: readonly ConfigProblem[],
  anchor: (p: ConfigProblem) => string | undefined,
) {
  if (problems.length === 0) return '';
  return html`<div class="error-summary" role="alert" data-problems>
<h2>The task was not created</h2>
<ul>${problems.map((p) => {
    const id = anchor(p);
    return html`<li data-problem="${problemField(p)}">${id ? html`<a href="#${id}">${problemLine(p)}</a>` : problemLine(p)}</li>`;
  })}</ul>
</div>`;
}

function endpointSection(side: Side, view: NewTaskView, problems: ReadonlyMap<string, readonly string[]>) {
  const chosen = view.access[side];
  const selectId = fieldId('core', `${side}.access`);
  const accessProblems = problems.get(`${side}.access`) ?? [];
  return html`<section aria-labelledby="h-${side}" data-side="${side}">
<h2 id="h-${side}">${side === 'source' ? 'Source' : 'Target'}</h2>
<div class="field" data-path="${side}.access">
<label for="${selectId}">Access mode</label>
<select id="${selectId}" name="${side}.access" data-access-select="${side}" required>
${view.connectors.map(
  (c) =>
    html`<option value="${c.meta.name}"${c.meta.name === chosen ? html` selected` : ''}>${c.meta.name}${c.meta.description ? ` — ${c.meta.description}` : ''}</option>`,
)}
</select>
${accessProblems.length ? html`<p class="field-error" data-error-for="${side}.access">${accessProblems.join('; ')}</p>` : ''}
<button type="submit" name="_step" value="access" formnovalidate data-without-script>Show the fields of this access mode</button>
</div>
${view.connectors.map((c) => {
  const on = c.meta.name === chosen;
  // Only the chosen mode's fieldset is enabled: a disabled fieldset's inputs are not submitted,
  // with or without the script that switches them.
  return html`<fieldset data-side="${side}" data-access="${c.meta.name}"${on ? '' : html` hidden disabled`}>
<legend>${side}: ${c.meta.name}</legend>
${renderNodes(endpointNodes(c, side), { values: view.values, problems, scope: `${side}-${c.meta.name}` })}
</fieldset>`;
})}
</section>`;
}

/** The new-task page: the form with what was entered (secrets excepted) and what was wrong with it. */
export function renderNewTask(session: ConsoleSession, view: NewTaskView) {
  const problems = problemsByField(view.problems);
  const core = coreNodes();
  const state = { values: view.values, problems, scope: 'core' };
  const pick = (path: string) => core.filter((n) => n.path === path);
  return layout(
    session,
    { title: 'New task', path: '/tasks/new' },
    html`<h1>New task</h1>
<p>Fill in the task, or <a href="/tasks/import">import a YAML config</a>.</p>
${renderError(view.error)}
${renderSummary(view.problems, (p) => anchorOf(p, view))}
<form method="post" action="/tasks/new" class="new-task">
${csrfField(session)}
<section aria-labelledby="h-task"><h2 id="h-task">Task</h2>
${renderNodes([...pick('task'), ...pick('mode')], state, ['task'])}
</section>
${SIDES.map((side) => endpointSection(side, view, problems))}
<section aria-labelledby="h-objects"><h2 id="h-objects">Objects</h2>
${renderNodes(pick('objects'), state, ['objects'])}
</section>
<section aria-labelledby="h-options"><h2 id="h-options">Options</h2>
<p>The defaults suit most migrations; each is explained in the config reference.</p>
${renderNodes(pick('options'), state)}
</section>
<button type="submit">Create task</button>
</form>
<script src="/assets/new-task.js" defer></script>`,
  );
}
