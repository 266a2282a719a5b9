/**
 * Writes docs/config-reference.md from the JSON schemas: the kernel's core schema and the
 * configSchema of every first-party plugin. Run `pnpm docs:config` after changing a schema;
 * packages/cli/test/docs-config-reference.test.ts fails when the file is out of date.
 *
 *   node --import tsx scripts/gen-config-reference.ts          # write the file
 *   node --import tsx scripts/gen-config-reference.ts --check  # exit 1 when it differs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JsonSchema, PluginDefinition } from '../packages/plugin-api/src/index.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REFERENCE_PATH = join(REPO, 'docs/config-reference.md');

type Schema = JsonSchema & Record<string, unknown>;

interface Row {
  path: string;
  type: string;
  required: string;
  default: string;
  description: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (v: unknown) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

function isSecret(s: Schema): boolean {
  return s['x-secret'] === true;
}

function typeOf(s: Schema): string {
  if (isSecret(s)) return 'secret: string, `{ env }` or `{ file }`';
  if (s.const !== undefined) return code(s.const);
  if (Array.isArray(s.enum)) return s.enum.map(code).join(' | ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  let text = types.join(' or ') || (Array.isArray(s.anyOf) ? 'one of several shapes' : 'any');
  if (text === 'array' && s.items && typeof s.items === 'object') {
    const items = s.items as Schema;
    text = `array of ${typeOf(items)}`;
  }
  const range: string[] = [];
  if (typeof s.minimum === 'number') range.push(`≥ ${s.minimum}`);
  if (typeof s.maximum === 'number') range.push(`≤ ${s.maximum}`);
  if (typeof s.maxLength === 'number') range.push(`at most ${s.maxLength} characters`);
  if (typeof s['x-hint'] === 'string') range.push(s['x-hint']);
  else if (typeof s.pattern === 'string') range.push(`matches ${code(s.pattern)}`);
  if (typeof s.format === 'string') range.push(`format ${s.format}`);
  return range.length ? `${text} (${range.join(', ')})` : text;
}

/** "required when `network` is `vpc`" notes from allOf if/then blocks (requiredWhen in ssh-tunnel). */
function conditionalRequirements(s: Schema): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (s.allOf as Schema[] | undefined) ?? []) {
    const cond = part.if as Schema | undefined;
    const then = part.then as Schema | undefined;
    if (!cond?.properties || !Array.isArray(then?.required)) continue;
    const when = Object.entries(cond.properties as Record<string, Schema>)
      .map(([k, v]) => `\`${k}\` is ${code(v.const)}`)
      .join(' and ');
    for (const field of then.required as string[])
      out.set(field, [...(out.get(field) ?? []), `when ${when}`]);
  }
  return out;
}

function rows(
  schema: Schema,
  prefix: string,
  defaults: Readonly<Record<string, unknown>>,
  notes: Readonly<Record<string, string>>,
) {
  const out: Row[] = [];
  const walk = (s: Schema, path: string, required: boolean, conditional: string[] | undefined) => {
    const fullPath = prefix + path;
    const description = (typeof s.description === 'string' ? s.description : notes[path]) ?? '';
    const def = s.default !== undefined ? s.default : defaults[path];
    out.push({
      path: `\`${fullPath}\``,
      type: typeOf(s),
      required: required ? 'yes' : conditional ? `yes, ${conditional.join('; ')}` : 'no',
      default: def === undefined ? '' : code(def),
      description: `${description}${isSecret(s) ? ' **Secret**: redacted everywhere.' : ''}`,
    });
    if (isSecret(s)) return;
    children(s, path);
  };
  const children = (s: Schema, path: string) => {
    const props = s.properties as Record<string, Schema> | undefined;
    if (props) {
      const req = new Set((s.required as string[] | undefined) ?? []);
      const cond = conditionalRequirements(s);
      for (const [key, child] of Object.entries(props)) {
        if (child === (true as unknown)) continue;
        walk(child, path ? `${path}.${key}` : key, req.has(key), cond.get(key));
      }
    }
    const items = s.items as Schema | undefined;
    if (items && typeof items === 'object' && items.properties) children(items, `${path}[]`);
  };
  children(schema, '');
  return out;
}

function table(list: Row[]): string {
  if (list.length === 0) return '_No fields._\n';
  const lines = ['| field | type | required | default | description |', '| --- | --- | --- | --- | --- |'];
  for (const r of list)
    lines.push(`| ${[r.path, r.type, r.required, r.default, r.description].map(cell).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

interface LoadedPlugin {
  packageName: string;
  definition: PluginDefinition;
}

async function firstPartyPlugins(): Promise<LoadedPlugin[]> {
  const { discoverFirstPartyPackages } = await import('../packages/kernel/src/index.js');
  const out: LoadedPlugin[] = [];
  for (const pkg of discoverFirstPartyPackages()) {
    // Only this repository's plugins: the reference documents what this checkout ships.
    if (!resolve(pkg.dir).startsWith(join(REPO, 'plugins'))) continue;
    const module = (await import(pathToFileURL(pkg.entry).href)) as { default?: PluginDefinition };
    if (module.default?.meta) out.push({ packageName: pkg.packageName, definition: module.default });
  }
  return out.sort(
    (a, b) =>
      a.definition.meta.kind.localeCompare(b.definition.meta.kind) ||
      a.definition.meta.name.localeCompare(b.definition.meta.name),
  );
}

/** The whole reference as markdown; deterministic for a given checkout. */
export async function generateConfigReference(): Promise<string> {
  const { coreSchema, CORE_DEFAULTS, CORE_DESCRIPTIONS } = await import('../packages/kernel/src/index.js');
  const plugins = await firstPartyPlugins();

  const out: string[] = [
    '# Config reference',
    '',
    '<!-- Generated by scripts/gen-config-reference.ts from the JSON schemas. Do not edit: run `pnpm docs:config`. -->',
    '',
    'Every field pgshift accepts in a task file, generated from the schemas the kernel validates',
    'against, so it cannot drift from the code. [config.md](config.md) explains the file with examples;',
    '[access-modes.md](access-modes.md) shows each connector in use. Unknown fields are rejected everywhere.',
    '',
    'Secret fields accept an inline string, `{ env: NAME }` or `{ file: PATH }` and are redacted from',
    'every log line, error and report.',
    '',
    '## Task file',
    '',
    table(rows(coreSchema as Schema, '', CORE_DEFAULTS, CORE_DESCRIPTIONS)),
  ];

  const connectors = plugins.filter((p) => p.definition.meta.kind === 'connector');
  out.push(
    '## Connectors',
    '',
    'The fields of `source` (and likewise `target`) besides `access`, per connector (`access: <name>`).',
    '',
  );
  for (const p of connectors) out.push(...section(p, 'source.'));

  const others = plugins.filter((p) => p.definition.meta.kind !== 'connector');
  const withOptions = others.filter((p) => hasFields(p.definition.configSchema as Schema | undefined));
  const without = others.filter((p) => !withOptions.includes(p));
  out.push(
    '## Other plugins',
    '',
    'Options of the other plugins, given as `plugins: [{ use: <name>, options: { ... } }]`.',
    '',
  );
  for (const p of withOptions) out.push(...section(p, 'options.'));
  out.push(
    'These first-party plugins take no options:',
    '',
    ...without.map((p) => `- \`${p.definition.meta.name}\` (${p.definition.meta.kind})${describe(p)}`),
    '',
  );
  return out.join('\n');
}

function hasFields(s: Schema | undefined): boolean {
  return !!s && !!s.properties && Object.keys(s.properties as object).length > 0;
}

function describe(p: LoadedPlugin): string {
  return p.definition.meta.description ? `: ${p.definition.meta.description}` : '';
}

function section(p: LoadedPlugin, prefix: string): string[] {
  const { meta, configSchema, defaultOptions } = p.definition;
  const schema = (configSchema ?? { type: 'object' }) as Schema;
  const list = rows(schema, prefix, (defaultOptions ?? {}) as Record<string, unknown>, {}).filter(
    // access is the discriminator, documented above.
    (r) => r.path !== `\`${prefix}access\``,
  );
  const lines = [`### \`${meta.name}\``, '', `${meta.kind} · package \`${p.packageName}\`${describe(p)}`, ''];
  if (schema.additionalProperties === true || schema.additionalProperties === undefined)
    lines.push('Fields not listed are passed through unchecked.', '');
  lines.push(table(list));
  return lines;
}

async function main() {
  const text = await generateConfigReference();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(REFERENCE_PATH, 'utf8');
    } catch {}
    if (current !== text) {
      console.error('docs/config-reference.md is out of date: run `pnpm docs:config`');
      process.exit(1);
    }
    return;
  }
  writeFileSync(REFERENCE_PATH, text);
  console.log(`wrote ${REFERENCE_PATH}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
