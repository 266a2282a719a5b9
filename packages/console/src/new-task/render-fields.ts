import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { FormField, FormGroup, FormNode } from './form-model.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What the fields show besides the schema: entered values and the problems found with them. */
export interface FieldState {
  values: Readonly<Record<string, string>>;
  problems: ReadonlyMap<string, readonly string[]>;
  /** Ids are unique per page: the same path appears once per connector. */
  scope: string;
  /**
   * Inside a block the config may leave out (tls, via.ssh): its required fields are required
   * only when the block is used, which the server checks. The browser must not, or a folded,
   * unused block's empty field would stop every submit.
   */
  inOptionalBlock?: boolean;
}

/** The element id of a field's input: `#ID` links from the error summary land on it. */
export function fieldId(scope: string, path: string): string {
  return `f-${scope}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

const lastKey = (path: string) => path.split('.').at(-1) ?? path;

function shown(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : JSON.stringify(value);
}

function placeholderOf(field: FormField): string {
  if (field.defaultValue !== undefined) return shown(field.defaultValue);
  if (field.input === 'date-time') return '2026-12-01T02:00:00Z';
  if (field.input === 'list') return 'comma-separated';
  return '';
}

function control(field: FormField, id: string, state: FieldState, describedBy: string, invalid: boolean) {
  const value = state.values[field.path] ?? '';
  const required = field.required && !state.inOptionalBlock;
  const common = html`id="${id}" name="${field.path}"${required ? html` required` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${invalid ? html` aria-invalid="true"` : ''}`;
  const placeholder = placeholderOf(field);
  if (field.input === 'choice' || field.input === 'boolean') {
    const choices = field.input === 'boolean' ? ['true', 'false'] : (field.choices ?? []);
    const empty = field.defaultValue !== undefined ? `default (${shown(field.defaultValue)})` : '(not set)';
    return html`<select ${common}>
<option value=""${value === '' ? html` selected` : ''}>${empty}</option>
${choices.map((c) => html`<option value="${c}"${value === c ? html` selected` : ''}>${c}</option>`)}
</select>`;
  }
  if (field.input === 'secret')
    // Never prefilled: a secret entered once is not sent back to the browser.
    return html`<input type="password" autocomplete="new-password" ${common}>`;
  if (field.input === 'number')
    return html`<input type="number" ${common} value="${value}" placeholder="${placeholder}"${field.min !== undefined ? html` min="${field.min}"` : ''}${field.max !== undefined ? html` max="${field.max}"` : ''} step="${field.integer ? '1' : 'any'}">`;
  return html`<input type="text" ${common} value="${value}" placeholder="${placeholder}">`;
}

function renderField(field: FormField, state: FieldState) {
  const id = fieldId(state.scope, field.path);
  const problems = state.problems.get(field.path) ?? [];
  const help =
    field.input === 'secret'
      ? `${field.description ?? ''} Stored with the task as the CLI stores it; never shown again.`.trim()
      : field.input === 'list'
        ? `${field.description ?? ''} Comma-separated.`.trim()
        : (field.description ?? '');
  const describedBy = [help ? `${id}-help` : '', problems.length ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class="field" data-path="${field.path}">
<label for="${id}">${lastKey(field.path)}${field.required ? ' (required)' : ''}</label>
${control(field, id, state, describedBy, problems.length > 0)}
${help ? html`<p class="help" id="${id}-help">${help}</p>` : ''}
${problems.length ? html`<p class="field-error" id="${id}-error" data-error-for="${field.path}">${problems.join('; ')}</p>` : ''}
</div>`;
}

function touched(node: FormNode, state: FieldState): boolean {
  if (node.kind === 'field') return state.values[node.path] !== undefined || state.problems.has(node.path);
  return node.children.some((n) => touched(n, state)) || state.problems.has(node.path);
}

function renderGroup(group: FormGroup, state: FieldState, open: readonly string[]): Html {
  const inside = { ...state, inOptionalBlock: state.inOptionalBlock === true || !group.required };
  const inner: Html = html`${group.description ? html`<p class="help">${group.description}</p>` : ''}
${renderNodes(group.children, inside, open)}`;
  const problems = state.problems.get(group.path) ?? [];
  const errors = problems.length
    ? html`<p class="field-error" data-error-for="${group.path}">${problems.join('; ')}</p>`
    : '';
  // Optional blocks (tls, via, limits...) start folded so the required fields stand out.
  if (open.includes(group.path) || group.required)
    return html`<fieldset class="group" data-path="${group.path}"><legend>${lastKey(group.path)}</legend>${errors}${inner}</fieldset>`;
  return html`<details class="group" data-path="${group.path}"${touched(group, state) ? html` open` : ''}><summary>${lastKey(group.path)}</summary>${errors}${inner}</details>`;
}

/** The nodes as labelled inputs; groups listed in `open` are never folded. */
export function renderNodes(
  nodes: readonly FormNode[],
  state: FieldState,
  open: readonly string[] = [],
): Html {
  return html`${nodes.map((n): Html => (n.kind === 'field' ? renderField(n, state) : renderGroup(n, state, open)))}`;
}
