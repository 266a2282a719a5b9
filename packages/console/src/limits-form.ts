import { PgshiftError, type RateLimit, type TaskLimits } from '@pgshift/plugin-api';
import { parseLimitValue } from '@pgshift/tasks';
import { html } from 'hono/html';
import type { ConsoleSession } from './console-app.js';
import { csrfField } from './layout.js';

/** The four limits a person can change while a task runs (as `pgshift task set` does). */
const FIELDS = [
  {
    name: 'copyMbps',
    direction: 'copy',
    field: 'megabytesPerSecond',
    label: 'Copy, MB/s read from the source',
  },
  { name: 'copyRows', direction: 'copy', field: 'rowsPerSecond', label: 'Copy, rows/s read from the source' },
  {
    name: 'applyMbps',
    direction: 'apply',
    field: 'megabytesPerSecond',
    label: 'Apply, MB/s written to the target',
  },
  {
    name: 'applyRows',
    direction: 'apply',
    field: 'rowsPerSecond',
    label: 'Apply, rows/s written to the target',
  },
] as const;

/** The detail page's "Rate limits" section: what is in force, and a form to change it. */
export function limitsSection(session: ConsoleSession, name: string, limitsText: string, canSet: boolean) {
  const action = `/tasks/${encodeURIComponent(name)}/limits`;
  return html`<section aria-labelledby="limits-h"><h2 id="limits-h">Rate limits</h2>
<p>In force: <span data-live="limits">${limitsText}</span></p>
${
  canSet
    ? html`<form method="post" action="${action}" class="limits">
${csrfField(session)}
${FIELDS.map(
  (f) =>
    html`<label for="limit-${f.name}">${f.label}</label><input id="limit-${f.name}" name="${f.name}" inputmode="decimal" placeholder="unchanged" size="10">`,
)}
<p class="help">Leave a field empty to keep it; 0 or none lifts that limit. The running task takes a change within a few seconds.</p>
<button type="submit">Set limits</button>
</form>`
    : ''
}
</section>`;
}

/** What the form asks to change (POST /tasks/NAME/limits); a field that is not a number of at least 0 (or none) is refused. */
export function limitsChangeOf(body: Record<string, unknown>): TaskLimits {
  const change: TaskLimits = {};
  for (const f of FIELDS) {
    const text = typeof body[f.name] === 'string' ? (body[f.name] as string) : '';
    if (text.trim() === '') continue;
    const value = parseLimitValue(text);
    if (value === undefined)
      throw new PgshiftError('PGSHIFT_USAGE', `${f.label}: "${text}" is not a limit`, {
        remedy: 'give a number of at least 0, or none (0 and none lift the limit)',
      });
    const limit: RateLimit = change[f.direction] ?? {};
    limit[f.field] = value;
    change[f.direction] = limit;
  }
  if (Object.keys(change).length === 0)
    throw new PgshiftError('PGSHIFT_USAGE', 'no limit to set was given', {
      remedy: 'fill at least one of the four fields (0 or none lifts a limit)',
    });
  return change;
}
