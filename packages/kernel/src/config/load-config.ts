import { dirname, resolve } from 'node:path';
import {
  ConfigError,
  type ConfigProblem,
  isPgshiftError,
  isPluginDefinition,
  type LostSnapshotChoice,
  type MigrationMode,
  type ObjectSelection,
  type PluginDefinition,
} from '@pgshift/plugin-api';
import type { Redactor } from '../logging/redactor.js';
import { checkPluginDefinition, type PluginCatalog, PluginNotFoundError } from '../plugins/plugin-catalog.js';
import { SchemaCache } from './ajv.js';
import { coreSchema, DEFAULT_MODE, DEFAULT_OPTIONS } from './core-schema.js';
import { checkPluginBlock } from './endpoint-fields.js';
import { formatAjvErrors } from './format-errors.js';
import { lostSnapshotConflict } from './lost-snapshot.js';
import { readConfigFile } from './read-config-file.js';
import type { EndpointConfig, PluginRef, TaskConfig, TaskOptions } from './task-config.js';

/** A plugin the config brings in, before it is registered. */
export interface PendingPlugin {
  definition: PluginDefinition;
  source: string;
  options: Record<string, unknown>;
  /** Named in the config (or by an endpoint's access), as opposed to added as a default. */
  explicit: boolean;
  /** Index of its entry in `plugins`, when it has one. */
  index?: number;
}

export interface LoadedConfig {
  config: TaskConfig;
  configPath: string;
  baseDir: string;
  plugins: PendingPlugin[];
  /** Non-fatal findings, e.g. a first-party default that failed to load. */
  warnings: string[];
  /** The connector plugin chosen for each side. */
  connectors: Record<'source' | 'target', PendingPlugin>;
}

type Bag = Record<string, unknown>;
const isBag = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kinds whose first-party plugins join every task; for loader and replicator only when none is named. */
// Inventories are added too: a connector names the one it uses in its own block, not in `plugins`.
const ALWAYS_ADDED = ['version-policy', 'checker', 'inventory'] as const;
const SINGLE = ['loader', 'replicator'] as const;

function notFoundMessage(error: unknown, kind?: string): string {
  if (error instanceof PluginNotFoundError)
    return `no ${kind ? `${kind} ` : ''}plugin named "${error.ref}" (tried: ${error.tried.join(', ')})`;
  return (error as Error).message;
}

/** A plugins entry as the user wrote it; definitions imported by a TS config are taken out first. */
interface Entry {
  index: number;
  ref: string | PluginDefinition;
  options: Bag;
}

function takeEntries(raw: Bag): Entry[] {
  if (!Array.isArray(raw.plugins)) return [];
  const entries: Entry[] = [];
  raw.plugins = raw.plugins.map((item: unknown, index: number) => {
    if (isPluginDefinition(item)) {
      entries.push({ index, ref: item, options: {} });
      return { use: item.meta?.name ?? 'imported' };
    }
    if (isBag(item) && isPluginDefinition(item.use)) {
      entries.push({ index, ref: item.use, options: isBag(item.options) ? item.options : {} });
      return { ...item, use: item.use.meta?.name ?? 'imported' };
    }
    if (typeof item === 'string' && item) entries.push({ index, ref: item, options: {} });
    else if (isBag(item) && typeof item.use === 'string' && item.use)
      entries.push({ index, ref: item.use, options: isBag(item.options) ? item.options : {} });
    return item;
  });
  return entries;
}

/**
 * Reads, composes and validates a task config: the core schema, each connector's schema for its
 * endpoint block, and each plugin's schema for its options. Every problem found is reported at
 * once in one ConfigError; secrets come back as `Secret` objects.
 */
export async function loadConfig(
  configPath: string,
  context: { redactor: Redactor; catalog: PluginCatalog; firstPartyDefaults?: boolean },
): Promise<LoadedConfig> {
  const file = resolve(configPath);
  const baseDir = dirname(file);
  const { redactor, catalog } = context;
  const raw = await readConfigFile(file);
  if (!isBag(raw))
    throw new ConfigError([
      { path: '', message: 'the config must be a mapping of fields (task, source, target, ...)' },
    ]);

  const schemas = new SchemaCache();
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const entries = takeEntries(raw);

  const validateCore = schemas.compile(coreSchema);
  if (!validateCore(raw)) problems.push(...formatAjvErrors(validateCore.errors));

  const plugins: PendingPlugin[] = [];
  for (const entry of entries) {
    const path = `plugins[${entry.index}]`;
    let definition: PluginDefinition;
    let source: string;
    try {
      if (typeof entry.ref === 'string') {
        ({ definition, source } = await catalog.resolve(entry.ref));
      } else {
        checkPluginDefinition(entry.ref);
        definition = entry.ref;
        source = `imported by ${file}`;
      }
    } catch (error) {
      problems.push({ path, message: notFoundMessage(error) });
      continue;
    }
    const merged = { ...(definition.defaultOptions ?? {}), ...entry.options };
    // A connector's schema describes its endpoint blocks, which are checked below, not its options.
    if (definition.meta.kind === 'connector') {
      plugins.push({ definition, source, options: merged, explicit: true, index: entry.index });
      continue;
    }
    const checked = checkPluginBlock(merged, definition, `${path}.options`, { baseDir, redactor, schemas });
    problems.push(...checked.problems);
    plugins.push({ definition, source, options: checked.value, explicit: true, index: entry.index });
  }

  const endpoints: Partial<Record<'source' | 'target', EndpointConfig>> = {};
  const connectors: Partial<Record<'source' | 'target', PendingPlugin>> = {};
  for (const role of ['source', 'target'] as const) {
    const block = raw[role];
    if (!isBag(block) || typeof block.access !== 'string' || !block.access) continue;
    const access = block.access;
    let connector = plugins.find(
      (p) => p.definition.meta.kind === 'connector' && p.definition.meta.name === access,
    );
    if (!connector) {
      try {
        const found = await catalog.resolve(access);
        if (found.definition.meta.kind !== 'connector') {
          problems.push({
            path: `${role}.access`,
            message: `plugin "${access}" is a ${found.definition.meta.kind} plugin, not a connector`,
          });
          continue;
        }
        connector =
          plugins.find((p) => p.definition === found.definition) ??
          ({
            ...found,
            options: { ...(found.definition.defaultOptions ?? {}) },
            explicit: true,
          } as PendingPlugin);
        if (!plugins.includes(connector)) plugins.push(connector);
      } catch (error) {
        problems.push({ path: `${role}.access`, message: notFoundMessage(error, 'connector') });
        continue;
      }
    }
    const { access: _access, ...fields } = block;
    const checked = checkPluginBlock(fields, connector.definition, role, {
      baseDir,
      redactor,
      schemas,
      omit: ['database'],
    });
    problems.push(...checked.problems);
    endpoints[role] = { access, ...checked.value } as EndpointConfig;
    connectors[role] = connector;
    raw[role] = endpoints[role];
  }

  if (context.firstPartyDefaults !== false) await addDefaults(plugins, catalog, warnings);
  problems.push(...checkNamesAndRequires(plugins));
  const conflict = lostSnapshotConflict(
    (raw.mode as MigrationMode | undefined) ?? DEFAULT_MODE,
    ((isBag(raw.options) ? raw.options.onLostSnapshot : undefined) ?? 'fail') as LostSnapshotChoice,
  );
  if (conflict) problems.push({ path: 'options.onLostSnapshot', message: conflict });

  if (problems.length > 0)
    throw new ConfigError(problems, {
      remedy: `fix ${file} and run \`pgshift config validate -c ${configPath}\` again`,
      details: { file, problems },
    });

  return {
    config: buildTaskConfig(raw, endpoints, baseDir),
    configPath: file,
    baseDir,
    plugins,
    warnings,
    connectors: connectors as LoadedConfig['connectors'],
  };
}

const PREFERRED: Record<string, string> = { loader: 'loader-native', replicator: 'replicator-logical' };

async function addDefaults(
  plugins: PendingPlugin[],
  catalog: PluginCatalog,
  warnings: string[],
): Promise<void> {
  const available: Array<{ definition: PluginDefinition; source: string }> = [];
  for (const found of await catalog.firstParty()) {
    if ('error' in found) {
      const message = isPgshiftError(found.error)
        ? found.error.message
        : String((found.error as Error)?.message);
      warnings.push(`first-party plugin package ${found.package.packageName} was not loaded: ${message}`);
    } else available.push(found);
  }
  const names = new Set(plugins.map((p) => p.definition.meta.name));
  const add = (found: { definition: PluginDefinition; source: string }) => {
    names.add(found.definition.meta.name);
    plugins.push({
      definition: found.definition,
      source: found.source,
      options: { ...(found.definition.defaultOptions ?? {}) },
      explicit: false,
    });
  };
  for (const found of available) {
    const { meta } = found.definition;
    if ((ALWAYS_ADDED as readonly string[]).includes(meta.kind) && !names.has(meta.name)) add(found);
  }
  for (const kind of SINGLE) {
    if (plugins.some((p) => p.definition.meta.kind === kind)) continue;
    const ofKind = available.filter((f) => f.definition.meta.kind === kind);
    const chosen = ofKind.find((f) => f.definition.meta.name === PREFERRED[kind]) ?? ofKind[0];
    if (chosen) add(chosen);
  }
}

function checkNamesAndRequires(plugins: readonly PendingPlugin[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const pathOf = (p: PendingPlugin) => (p.index === undefined ? 'plugins' : `plugins[${p.index}]`);
  const seen = new Map<string, PendingPlugin>();
  for (const p of plugins) {
    const name = p.definition.meta.name;
    const earlier = seen.get(name);
    if (earlier && earlier.definition !== p.definition)
      problems.push({
        path: pathOf(p),
        message: `two plugins are named "${name}" (${earlier.source} and ${p.source})`,
      });
    seen.set(name, p);
  }
  for (const kind of SINGLE) {
    const named = plugins.filter((p) => p.definition.meta.kind === kind);
    if (named.length > 1)
      problems.push({
        path: 'plugins',
        message: `only one ${kind} plugin may be used, but ${named.length} are named (${named.map((p) => p.definition.meta.name).join(', ')})`,
      });
  }
  for (const p of plugins) {
    for (const required of p.definition.requires ?? []) {
      if (!seen.has(required))
        problems.push({
          path: pathOf(p),
          message: `plugin "${p.definition.meta.name}" requires plugin "${required}", which is not loaded (add "${required}" to plugins)`,
        });
    }
  }
  return problems;
}

function buildTaskConfig(
  raw: Bag,
  endpoints: Partial<Record<'source' | 'target', EndpointConfig>>,
  baseDir: string,
): TaskConfig {
  const task = raw.task as TaskConfig['task'];
  const given = (isBag(raw.options) ? raw.options : {}) as Partial<TaskOptions>;
  const options: TaskOptions = {
    ...DEFAULT_OPTIONS,
    ...given,
    stateDir: resolve(baseDir, given.stateDir ?? `.pgshift/${task.name}`),
  };
  return {
    task: { name: task.name, ...(task.startAt === undefined ? {} : { startAt: task.startAt }) },
    source: endpoints.source!,
    target: endpoints.target!,
    objects: (isBag(raw.objects) ? raw.objects : {}) as ObjectSelection,
    mode: (raw.mode as MigrationMode | undefined) ?? DEFAULT_MODE,
    plugins: (Array.isArray(raw.plugins) ? raw.plugins : []) as PluginRef[],
    options,
  };
}
