import type { FormField } from './form-model.js';

/** What a submitted form says: the config it builds and what to show again if it is refused. */
export interface SubmittedForm {
  config: Record<string, unknown>;
  /** The entered text by input name, secrets left out: never sent back to the browser. */
  values: Record<string, string>;
  /** The secrets entered, to mask in any message shown. */
  secrets: string[];
}

type Bag = Record<string, unknown>;

/** Sets `a.b.c` in `target`, creating the objects on the way. */
export function setPath(target: Bag, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Bag;
  }
  node[parts.at(-1) ?? path] = value;
}

/**
 * The config value of one input's text. Text that is not a number or a boolean where one is
 * expected stays text, so the schema check names the field and says what it must be.
 */
export function parseInput(field: FormField, text: string): unknown {
  if (field.input === 'secret') return text;
  const t = text.trim();
  switch (field.input) {
    case 'number':
      return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : t;
    case 'boolean':
      return t === 'true' ? true : t === 'false' ? false : t;
    case 'list':
      return t
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    default:
      return t;
  }
}

/** Reads the form body: empty inputs are left out of the config (the kernel's defaults apply). */
export function readForm(
  body: Readonly<Record<string, unknown>>,
  fields: readonly FormField[],
  access: Readonly<Record<string, string>>,
): SubmittedForm {
  const config: Bag = {};
  const values: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [side, name] of Object.entries(access)) {
    values[`${side}.access`] = name;
    if (name) setPath(config, `${side}.access`, name);
  }
  for (const field of fields) {
    const raw = body[field.path];
    const text = typeof raw === 'string' ? raw : '';
    if (text.trim() === '') continue;
    if (field.input === 'secret') secrets.push(text);
    else values[field.path] = text;
    setPath(config, field.path, parseInput(field, text));
  }
  return { config, values, secrets };
}
