import { type JsonSchema, Secret } from '@pgshift/plugin-api';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** ajv as the kernel configures it: strict in every respect, with pgshift's keywords. */
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

export function compileStrict(schema: JsonSchema): ValidateFunction {
  const known = compiled.get(schema);
  if (known) return known;
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    allowUnionTypes: true,
    useDefaults: true,
    keywords: ['x-secret', 'x-hint'],
  });
  const validate = ajv.compile(schema);
  compiled.set(schema, validate);
  return validate;
}

/** Dotted path of an ajv error; a missing property is located at the property itself. */
export function errorPath(error: ErrorObject): string {
  const base = error.instancePath.split('/').filter(Boolean).join('.');
  const missing =
    error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
  return missing ? (base ? `${base}.${missing}` : missing) : base;
}

type Schema = Record<string, unknown>;

/** The schemas that may apply to `key` of an object validated by `schema` (properties, allOf, if/then). */
function propertySchemas(schema: Schema | undefined, key: string): Schema[] {
  if (!schema || typeof schema !== 'object') return [];
  const out: Schema[] = [];
  const props = schema.properties as Record<string, Schema> | undefined;
  if (props && typeof props[key] === 'object') out.push(props[key]);
  for (const keyword of ['allOf', 'anyOf', 'oneOf'])
    for (const sub of (schema[keyword] as Schema[] | undefined) ?? []) out.push(...propertySchemas(sub, key));
  for (const keyword of ['then', 'else'])
    out.push(...propertySchemas(schema[keyword] as Schema | undefined, key));
  return out.filter((s) => typeof s === 'object' && Object.keys(s).length > 0);
}

export interface Field {
  path: string[];
  value: unknown;
  secret: boolean;
}

/** Every field of a config, depth first; a secret field is one field even when given as { env }. */
export function fieldsOf(config: Record<string, unknown>, schema: Schema, prefix: string[] = []): Field[] {
  const out: Field[] = [];
  for (const [key, value] of Object.entries(config)) {
    const subs = propertySchemas(schema, key);
    const secret = subs.some((s) => s['x-secret'] === true);
    const path = [...prefix, key];
    out.push({ path, value, secret });
    if (!secret && value && typeof value === 'object' && !Array.isArray(value)) {
      const merged: Schema = { allOf: subs };
      out.push(...fieldsOf(value as Record<string, unknown>, merged, path));
    }
  }
  return out;
}

export function withField(
  config: Record<string, unknown>,
  path: readonly string[],
  change: { remove: true } | { value: unknown },
): Record<string, unknown> {
  const copy = structuredClone(config);
  let node = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if ('remove' in change) delete node[last];
  else node[last] = change.value;
  return copy;
}

/** A value of another JSON type than `value`. */
export function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not-a-number';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return 'not-a-list';
  return 42;
}

/**
 * Replaces every secret field given inline, as { env } or as { file } by a Secret, as the kernel
 * does before `open`.
 */
export function sealSecrets(config: Record<string, unknown>, schema: Schema): Record<string, unknown> {
  const copy = structuredClone(config);
  const walk = (node: Record<string, unknown>, nodeSchema: Schema) => {
    for (const [key, value] of Object.entries(node)) {
      const subs = propertySchemas(nodeSchema, key);
      if (subs.some((s) => s['x-secret'] === true)) {
        if (typeof value === 'string') node[key] = new Secret(value, 'inline');
        else if (value && typeof value === 'object' && typeof (value as { env?: unknown }).env === 'string') {
          const name = (value as { env: string }).env;
          node[key] = new Secret(process.env[name] ?? '', `env ${name}`);
        }
      } else if (value && typeof value === 'object' && !Array.isArray(value))
        walk(value as Record<string, unknown>, { allOf: subs });
    }
  };
  walk(copy, schema);
  return copy;
}
