import type { ConfigProblem } from '@pgshift/plugin-api';
import type { ErrorObject } from 'ajv';

/** `/source/ssl/0/mode` → `source.ssl[0].mode`, under an optional prefix. */
export function joinPath(prefix: string, pointer: string): string {
  let out = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping of fields',
  array: 'a list',
  null: 'null',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  const words = types.map((t) => TYPE_WORDS[String(t)] ?? String(t));
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? 'valid');
}

function quoted(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

type Schema = Record<string, unknown>;

function rangeMessage(schema: Schema): string {
  const noun = schema.type === 'integer' ? 'an integer' : 'a number';
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  if (min !== undefined && max !== undefined) return `must be ${noun} between ${min} and ${max}`;
  if (schema.exclusiveMinimum !== undefined) return `must be ${noun} greater than ${min}`;
  if (min !== undefined) return `must be ${noun} of at least ${min}`;
  if (schema.exclusiveMaximum !== undefined) return `must be ${noun} less than ${max}`;
  return `must be ${noun} of at most ${max}`;
}

const FORMAT_WORDS: Record<string, string> = {
  'date-time': 'an ISO 8601 date-time such as 2026-12-01T02:00:00Z',
  date: 'a date such as 2026-12-01',
  uri: 'a URI',
  hostname: 'a host name',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  email: 'an e-mail address',
};

/** One ajv error as a path and a plain sentence; undefined for errors another one already explains. */
function describe(error: ErrorObject, prefix: string): ConfigProblem | undefined {
  const path = joinPath(prefix, error.instancePath);
  const schema = (error.parentSchema ?? {}) as Schema;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path, message: `missing required field "${p.missingProperty}"` };
    case 'additionalProperties': {
      const props =
        schema.properties && typeof schema.properties === 'object' ? Object.keys(schema.properties) : [];
      const allowed = props.length > 0 ? ` (allowed: ${props.join(', ')})` : '';
      return { path, message: `unknown field "${p.additionalProperty}"${allowed}` };
    }
    case 'type':
      return { path, message: `must be ${typeWords(p.type)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: rangeMessage(schema) };
    case 'enum':
      return { path, message: `must be one of ${quoted(p.allowedValues as unknown[])}` };
    case 'const':
      return { path, message: `must be ${JSON.stringify(p.allowedValue)}` };
    case 'pattern':
      return {
        path,
        message:
          typeof schema['x-hint'] === 'string' ? schema['x-hint'] : `must match the pattern ${p.pattern}`,
      };
    case 'format':
      return { path, message: `must be ${FORMAT_WORDS[String(p.format)] ?? `a valid ${p.format}`}` };
    case 'minLength':
      return {
        path,
        message: p.limit === 1 ? 'must not be empty' : `must be at least ${p.limit} characters long`,
      };
    case 'maxLength':
      return { path, message: `must be at most ${p.limit} characters long` };
    case 'minItems':
      return {
        path,
        message: p.limit === 1 ? 'must not be an empty list' : `must list at least ${p.limit} items`,
      };
    case 'maxItems':
      return { path, message: `must list at most ${p.limit} items` };
    case 'uniqueItems':
      return { path, message: `must not list the same item twice (items ${p.j} and ${p.i} are equal)` };
    case 'multipleOf':
      return { path, message: `must be a multiple of ${p.multipleOf}` };
    case 'minProperties':
      return { path, message: `must have at least ${p.limit} fields` };
    case 'dependentRequired':
    case 'dependencies':
      return { path, message: `"${p.property}" requires field "${p.missingProperty}"` };
    // These only say "a branch failed"; the branch's own errors carry the detail.
    case 'if':
    case 'then':
    case 'else':
      return undefined;
    default:
      return { path, message: error.message ?? `is invalid (${error.keyword})` };
  }
}

/**
 * An anyOf/oneOf failure with the errors of its branches: one sentence instead of one per branch.
 * Every branch wanting a different field becomes "needs one of the fields ..."; branches that only
 * disagree on type become "must be X or Y"; otherwise the branch that got furthest is reported.
 */
function describeAlternatives(error: ErrorObject, branches: ErrorObject[], prefix: string): ConfigProblem[] {
  const path = joinPath(prefix, error.instancePath);
  if (error.keyword === 'oneOf' && (error.params as { passingSchemas?: unknown }).passingSchemas)
    return [{ path, message: 'matches more than one of the allowed forms; make it unambiguous' }];
  const here = branches.filter((b) => b.instancePath === error.instancePath);
  if (branches.length > 0 && here.length === branches.length) {
    if (branches.every((b) => b.keyword === 'required')) {
      const fields = [
        ...new Set(branches.map((b) => String((b.params as { missingProperty: unknown }).missingProperty))),
      ];
      return [{ path, message: `needs one of the fields ${quoted(fields)}` }];
    }
    const types = branches
      .filter((b) => b.keyword === 'type')
      .flatMap((b) => (b.params as { type: unknown }).type);
    if (types.length > 0) return [{ path, message: `must be ${typeWords([...new Set(types)])}` }];
  }
  // The branch with errors deepest in the data is the one the user most likely meant.
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  const deepest = Math.max(...branches.map(depth));
  const best = branches.filter((b) => depth(b) === deepest && deepest > error.instancePath.split('/').length);
  if (best.length > 0) return best.flatMap((b) => describe(b, prefix) ?? []);
  return [{ path, message: 'does not match any of the allowed forms' }];
}

/** Turns ajv errors into path-prefixed sentences, one per distinct problem. */
export function formatAjvErrors(
  errors: readonly ErrorObject[] | null | undefined,
  prefix = '',
): ConfigProblem[] {
  const all = errors ?? [];
  const alternatives = all.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  // The innermost alternative an error belongs to, if any.
  const branchOf = (e: ErrorObject) =>
    alternatives
      .filter(
        (a) =>
          a !== e && e.schemaPath.startsWith(`${a.schemaPath}/`) && e.instancePath.startsWith(a.instancePath),
      )
      .sort((a, b) => b.schemaPath.length - a.schemaPath.length)[0];
  const seen = new Set<string>();
  const out: ConfigProblem[] = [];
  for (const error of all) {
    if (branchOf(error)) continue;
    const problems =
      error.keyword === 'anyOf' || error.keyword === 'oneOf'
        ? describeAlternatives(
            error,
            all.filter((e) => branchOf(e) === error),
            prefix,
          )
        : [describe(error, prefix)].filter((p): p is ConfigProblem => p !== undefined);
    for (const problem of problems) {
      const key = `${problem.path}\0${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(problem);
    }
  }
  return out;
}
