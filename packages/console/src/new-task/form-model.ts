import type { JsonSchema } from '@pgshift/plugin-api';

type Schema = Record<string, unknown>;

/** How a field is entered: each kind has one input element and one way back to a config value. */
export type InputKind = 'text' | 'number' | 'secret' | 'choice' | 'boolean' | 'list' | 'date-time';

export interface FormField {
  kind: 'field';
  /** The config path, also the input's `name`: `source.port`, `options.limits.copy.rowsPerSecond`. */
  path: string;
  input: InputKind;
  required: boolean;
  description?: string;
  /** What the kernel uses when the field is left empty; shown as the placeholder. */
  defaultValue?: unknown;
  choices?: readonly string[];
  integer?: boolean;
  min?: number;
  max?: number;
}

export interface FormGroup {
  kind: 'group';
  path: string;
  /** The enclosing object requires this block (`task`); optional blocks (tls, via) may be folded. */
  required: boolean;
  description?: string;
  children: FormNode[];
}

export type FormNode = FormField | FormGroup;

export interface ModelContext {
  /** Descriptions by config path, for schemas that carry none (the core's). */
  descriptions?: Readonly<Record<string, string>>;
  /** Defaults by config path. */
  defaults?: Readonly<Record<string, unknown>>;
  /** Paths the form leaves out (the config file can still give them). */
  skip?: readonly string[];
}

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function typesOf(s: Schema): string[] {
  return Array.isArray(s.type) ? s.type.map(String) : typeof s.type === 'string' ? [s.type] : [];
}

/** The input for one schema, or undefined when a form cannot enter it (free-form objects, mixed shapes). */
function inputOf(s: Schema): Pick<FormField, 'input' | 'choices' | 'integer' | 'min' | 'max'> | undefined {
  if (s['x-secret'] === true) return { input: 'secret' };
  if (Array.isArray(s.enum)) return { input: 'choice', choices: s.enum.map(String) };
  const types = typesOf(s);
  if (types.length !== 1) return undefined;
  const range = {
    ...(typeof s.minimum === 'number' ? { min: s.minimum } : {}),
    ...(typeof s.maximum === 'number' ? { max: s.maximum } : {}),
  };
  switch (types[0]) {
    case 'string':
      return { input: s.format === 'date-time' ? 'date-time' : 'text' };
    case 'integer':
      return { input: 'number', integer: true, ...range };
    case 'number':
      return { input: 'number', ...range };
    case 'boolean':
      return { input: 'boolean' };
    case 'array':
      return isObject(s.items) && typesOf(s.items).join() === 'string' ? { input: 'list' } : undefined;
    default:
      return undefined;
  }
}

/**
 * The fields of an object schema, in its order, as form nodes under `prefix`: nested objects with
 * properties become groups; `const` fields (a connector's `access`) and shapes a form cannot enter
 * are left out. `required` marks only what the schema requires unconditionally at this level.
 */
export function formNodes(
  schema: JsonSchema | undefined,
  prefix: string,
  context: ModelContext = {},
): FormNode[] {
  const s = (schema ?? {}) as Schema;
  const props = isObject(s.properties) ? s.properties : {};
  const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
  const out: FormNode[] = [];
  for (const [key, raw] of Object.entries(props)) {
    if (!isObject(raw) || raw.const !== undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (context.skip?.includes(path)) continue;
    const description = typeof raw.description === 'string' ? raw.description : context.descriptions?.[path];
    if (typesOf(raw).join() === 'object' && isObject(raw.properties) && raw['x-secret'] !== true) {
      const children = formNodes(raw, path, context);
      if (children.length > 0)
        out.push({
          kind: 'group',
          path,
          required: required.has(key),
          children,
          ...(description ? { description } : {}),
        });
      continue;
    }
    const input = inputOf(raw);
    if (!input) continue;
    const defaultValue = raw.default !== undefined ? raw.default : context.defaults?.[path];
    out.push({
      kind: 'field',
      path,
      required: required.has(key),
      ...input,
      ...(description ? { description } : {}),
      ...(defaultValue !== undefined ? { defaultValue } : {}),
    });
  }
  return out;
}

/** Every field under the nodes, depth first. */
export function fieldsOf(nodes: readonly FormNode[]): FormField[] {
  return nodes.flatMap((n) => (n.kind === 'field' ? [n] : fieldsOf(n.children)));
}
