import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ConfigProblem, isSecret, type JsonSchema, Secret } from '@pgshift/plugin-api';
import type { Redactor } from '../logging/redactor.js';

type Schema = Record<string, unknown>;
type Bag = Record<string, unknown>;

function isObject(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows local `$ref`s (`#/$defs/x`, `#/definitions/x`) inside one schema document. */
function deref(schema: unknown, root: Schema): Schema | undefined {
  let current = schema;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 16; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#/')) return undefined;
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = isObject(target) ? target[part] : undefined;
    current = target;
  }
  return isObject(current) ? current : undefined;
}

/** The subschemas that may describe property `key` of an object matched by `schema`. */
function propertySchemas(schema: Schema, key: string, root: Schema): Schema[] {
  const out: Schema[] = [];
  const visit = (s: unknown, depth: number) => {
    const node = deref(s, root);
    if (!node || depth > 8) return;
    const props = node.properties;
    if (isObject(props) && key in props) {
      const sub = deref(props[key], root);
      if (sub) out.push(sub);
    } else if (isObject(node.additionalProperties)) {
      const sub = deref(node.additionalProperties, root);
      if (sub) out.push(sub);
    }
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      const list = node[k];
      if (Array.isArray(list)) for (const item of list) visit(item, depth + 1);
    }
    for (const k of ['then', 'else']) if (node[k] !== undefined) visit(node[k], depth + 1);
  };
  visit(schema, 0);
  return out;
}

// Fields that hold a secret whatever the schema says; their inline values are redacted too.
const SECRET_NAMES = /^(password|passphrase|secret|token|private[-_]?key|api[-_]?key|secret[-_]?key)$/i;

export interface SecretSlot {
  holder: Bag;
  key: string;
  origin: string;
}

export interface SecretResolution {
  problems: ConfigProblem[];
  /** Where the resolved strings sit; `seal` turns them into `Secret` objects after validation. */
  slots: SecretSlot[];
}

function resolveOne(
  value: unknown,
  path: string,
  baseDir: string,
): { value?: string; origin?: string; problem?: ConfigProblem } {
  if (typeof value === 'string') return { value, origin: 'inline' };
  if (isSecret(value)) return { value: value.reveal(), origin: value.origin };
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof value.env === 'string') {
      const name = value.env;
      const found = process.env[name];
      if (found === undefined)
        return { problem: { path, message: `environment variable ${name} is not set` } };
      if (found === '') return { problem: { path, message: `environment variable ${name} is empty` } };
      return { value: found, origin: `env ${name}` };
    }
    if (keys.length === 1 && typeof value.file === 'string') {
      const file = resolve(baseDir, value.file);
      try {
        // A trailing newline is an artefact of how the file was written, not part of the secret.
        return { value: readFileSync(file, 'utf8').replace(/\r?\n$/, ''), origin: `file ${file}` };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        return { problem: { path, message: `cannot read secret file ${file} (${code})` } };
      }
    }
  }
  return { problem: { path, message: 'must be a string, { env: NAME } or { file: PATH }' } };
}

/** A field of a config that holds a secret: where it sits and its config path. */
export interface SecretField {
  holder: Bag;
  key: string;
  /** e.g. `source.password`, `plugins[0].options.token`. */
  path: string;
  /** Marked `"x-secret": true` by the schema (else found by its name alone). */
  marked: boolean;
}

/**
 * Every secret field of `data`: those `schema` marks `"x-secret": true` (whatever their value) and
 * those named like a secret (`password`, `token`, ...) that hold a string. The one rule for what
 * counts as a secret, for resolving secrets and for anything that must not show them.
 */
export function findSecretFields(data: unknown, schema: JsonSchema | undefined, path: string): SecretField[] {
  const out: SecretField[] = [];
  const root = (schema ?? {}) as Schema;
  const walk = (node: unknown, schemas: Schema[], at: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        const items = schemas.flatMap((s) =>
          isObject(s.items) ? [deref(s.items, root)].filter(isObject) : [],
        );
        walk(item, items as Schema[], `${at}[${i}]`);
      });
      return;
    }
    if (!isObject(node) || isSecret(node)) return;
    for (const key of Object.keys(node)) {
      const subs = schemas.flatMap((s) => propertySchemas(s, key, root));
      const childPath = at ? `${at}.${key}` : key;
      const marked = subs.some((s) => s['x-secret'] === true);
      const value = node[key];
      if (marked || (SECRET_NAMES.test(key) && (typeof value === 'string' || isSecret(value))))
        out.push({ holder: node, key, path: childPath, marked });
      else walk(value, subs, childPath);
    }
  };
  walk(data, [root], path);
  return out;
}

/**
 * Replaces every secret field of `data` (see findSecretFields) given as `{ env }` or `{ file }`
 * by its value, so validation sees the real text; every value found is handed to the redactor.
 * Call `sealSecrets` after validation to wrap the marked ones as `Secret`.
 */
export function resolveSecrets(
  data: unknown,
  schema: JsonSchema | undefined,
  path: string,
  baseDir: string,
  redactor: Redactor,
): SecretResolution {
  const result: SecretResolution = { problems: [], slots: [] };
  for (const field of findSecretFields(data, schema, path)) {
    const r = resolveOne(field.holder[field.key], field.path, baseDir);
    if (r.problem) result.problems.push(r.problem);
    else if (r.value !== undefined) {
      redactor.add(r.value);
      field.holder[field.key] = r.value;
      if (field.marked)
        result.slots.push({ holder: field.holder, key: field.key, origin: r.origin ?? 'inline' });
    }
  }
  return result;
}

export function sealSecrets(slots: readonly SecretSlot[]): void {
  for (const slot of slots) {
    const value = slot.holder[slot.key];
    if (typeof value === 'string') slot.holder[slot.key] = new Secret(value, slot.origin);
  }
}
