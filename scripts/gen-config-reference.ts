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

/** The core schema carries no descriptions; these say what each core field means. */
const CORE_DESCRIPTIONS: Record<string, string> = {
  task: 'The task: its name and optional start time.',
  'task.name': 'Names the task and its state directory.',
  'task.startAt': 'When to start (ISO 8601 with a time zone); absent = as soon as possible.',
  source: 'The server to migrate from. Every other field belongs to the connector named by `access`.',
  'source.access': 'Connector plugin that reaches the server (see Connectors below).',
  'source.database': 'Maintenance database pgshift connects to for catalog queries (postgres).',
  target: 'The server to migrate to; same shape as `source`.',
  'target.access': 'Connector plugin that reaches the server (see Connectors below).',
  'target.database': 'Maintenance database pgshift connects to for catalog queries (postgres).',
  objects: 'What to migrate; absent = every database of the instance that is not a template.',
  'objects.databases': 'Databases to migrate.',
  'objects.include': 'database[.schema[.table]] patterns to include; absent = everything.',
  'objects.exclude': 'database[.schema[.table]] patterns to leave out.',
  mode: '`full` copies once; `full+incremental` copies, then follows changes until finish; `schema` copies the schema alone (no rows, no following).',
  plugins:
    'Plugins to load besides the first-party defaults: a name, package or path, or `{ use, options }`.',
  'plugins[].use': 'Plugin name, package name or path (relative to the config file).',
  'plugins[].options': "The plugin's options, checked against its schema (see Other plugins below).",
  options: 'Tuning of the run.',
  'options.jobs': 'Parallel copy workers.',
  'options.copyOwners': 'Copy ownership (ALTER ... OWNER TO).',
  'options.copyPrivileges': 'Copy GRANTs and default privileges.',
  'options.copyPublications':
    "Copy the source's publications (CREATE PUBLICATION with its tables, row filters and column lists); never pgshift's own.",
  'options.copyRoles':
    "Create the source's roles the target lacks (attributes, password hashes where readable, memberships, settings), and give each created database its owner, grants and settings. Default: on without `objects` (whole instance), off with it.",
  'options.stateDir':
    'Where the task keeps its state; relative to the config file. Default `<config dir>/.pgshift/<task name>`.',
  'options.onLostSnapshot':
    'When a resumed full copy finds its snapshot gone: fail, restart, or copy the rest per table.',
  'options.splitTableBytes': 'Tables larger than this are split into ranges several workers share.',
  'options.checkTimeoutSeconds': 'Time each precheck may take before it counts as Failed.',
  'options.connectTimeoutSeconds': 'Time allowed to open a route to a server.',
  'options.reconnectAttempts':
    'Consecutive failed attempts to reconnect after a lost connection before the run fails (0: fail at once).',
  'options.reconnectMaxDelaySeconds': 'The longest wait between two attempts to reconnect.',
  'options.onApplyError':
    'When the target refuses a change while following: stop the run, or retry it from the durable position.',
  'options.applyRetries': 'With onApplyError: retry, attempts in a row before the run stops.',
  'options.sequenceSyncSeconds':
    "While following, how often the target's sequences are moved up to the source's values (never back), so a target promoted without finish is safe; 0 leaves them to finish.",
  'options.limits':
    'Rate limits for the whole task, each shared by all its workers; absent or 0 = unlimited. Changed while the task runs by `pgshift set` or `pgshift task set`.',
  'options.limits.copy':
    'The full copy: rows and COPY bytes read from the source, over every copy job of the task.',
  'options.limits.copy.rowsPerSecond': 'Rows per second the copy reads from the source.',
  'options.limits.copy.megabytesPerSecond':
    'Megabytes (10^6 bytes) of COPY data per second read from the source.',
  'options.limits.apply':
    'Following: rows and bytes of the changes applied to the target, over every database of the task.',
  'options.limits.apply.rowsPerSecond': 'Changed rows per second applied to the target.',
  'options.limits.apply.megabytesPerSecond':
    'Megabytes (10^6 bytes) per second of changes applied, as they came from the source.',
  'options.ddl':
    'Schema changes on the source during sync: replicate (applied on the target in order with the rows), stop (following stops before each, naming it), or ignore. Default: replicate where the source role is a superuser (event triggers need one), else stop where the stream shows a changed table.',
  'options.targetWrites':
    'Writes to the target by others than pgshift while following: detect (reported as they happen) or refuse.',
};

const CORE_DEFAULTS: Record<string, unknown> = { mode: 'full+incremental' };

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
  defaults: Record<string, unknown>,
  notes: Record<string, string>,
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
  const { coreSchema, DEFAULT_OPTIONS } = await import('../packages/kernel/src/index.js');
  const coreDefaults: Record<string, unknown> = { ...CORE_DEFAULTS };
  for (const [k, v] of Object.entries(DEFAULT_OPTIONS)) coreDefaults[`options.${k}`] = v;
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
    table(rows(coreSchema as Schema, '', coreDefaults, CORE_DESCRIPTIONS)),
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
