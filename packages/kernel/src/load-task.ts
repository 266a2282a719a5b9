import { dirname, resolve } from 'node:path';
import { createServerHandle } from '@pgshift/pg';
import {
  type BuiltInDefinitions,
  builtInServices,
  CHECKER,
  CONNECTOR,
  type Connector,
  INVENTORIES,
  INVENTORY,
  type InventoryLookup,
  type InventoryProvider,
  instantiatePlugin,
  LOADER,
  LOGGER,
  type Loader,
  PgshiftError,
  type PluginDefinition,
  type PluginInstance,
  PluginLoadError,
  REPLICATOR,
  type Replicator,
  type Route,
  type ServerRole,
  type Token,
  VERSION_POLICY,
} from '@pgshift/plugin-api';
import { loadConfig } from './config/load-config.js';
import type { CheckerEntry, LoadedPlugin, LoadedTask, LoadTaskOptions } from './loaded-task.js';
import { createLogger } from './logging/logger.js';
import { Redactor } from './logging/redactor.js';
import { inventoryLookup } from './plugins/inventory-lookup.js';
import { PluginCatalog } from './plugins/plugin-catalog.js';

/** Thrown when a task needs a plugin kind (loader, replicator) that no loaded plugin provides. */
export class MissingPluginError extends PgshiftError {
  constructor(kind: string, defaultName: string) {
    super('PGSHIFT_PLUGIN_MISSING', `no ${kind} plugin is loaded`, {
      remedy: `install the first-party ${defaultName} plugin or name a ${kind} plugin in the config's plugins list`,
    });
  }
}

/**
 * Loads a task: reads and validates the config, loads every plugin it names (plus first-party
 * defaults), and registers each plugin in its own child container.
 */
export async function loadTask(configPath: string, options: LoadTaskOptions = {}): Promise<LoadedTask> {
  const redactor = options.redactor ?? new Redactor();
  const logger = createLogger({
    redactor,
    level: options.logLevel ?? (options.verbose ? 'debug' : 'info'),
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const catalog = new PluginCatalog(dirOf(configPath));
  const loaded = await loadConfig(configPath, {
    redactor,
    catalog,
    ...(options.firstPartyDefaults === undefined ? {} : { firstPartyDefaults: options.firstPartyDefaults }),
  });
  for (const warning of loaded.warnings) logger.warn(warning);

  // Filled once every plugin has registered; plugins resolve it later, when a connector opens.
  let inventories: InventoryLookup | undefined;
  const builtIns = await builtInDefinitions(loaded.plugins, catalog);
  const plugins: LoadedPlugin[] = [];
  for (const pending of loaded.plugins) {
    const { meta } = pending.definition;
    const pluginLogger = logger.child({ plugin: meta.name });
    const host = builtInServices(builtIns, <T>(token: Token<T>) => {
      if (token === LOGGER) return pluginLogger as T;
      if (token === INVENTORIES) return inventories as T | undefined;
      return undefined;
    });
    let instance: PluginInstance;
    try {
      instance = await instantiatePlugin(pending.definition, { options: pending.options, host });
    } catch (error) {
      // What register() threw, without instantiatePlugin's wrapping, so it is named once and redacted.
      const reason = error instanceof PluginLoadError && error.cause ? error.cause : error;
      throw new PluginLoadError(
        `plugin ${meta.name} failed to register: ${redactor.redact(String((reason as Error)?.message ?? reason))}`,
        {
          cause: error,
          remedy: `report this to the author of ${meta.name} (loaded from ${pending.source})`,
        },
      );
    }
    plugins.push({
      definition: pending.definition,
      source: pending.source,
      resolver: instance.resolver,
      own: instance.own,
      options: instance.options as Readonly<Record<string, unknown>>,
    });
    logger.debug(`plugin ${meta.name} ${meta.version} (${meta.kind}) loaded`, { source: pending.source });
  }

  const ofKind = (kind: string) => plugins.filter((p) => p.definition.meta.kind === kind);
  const own = <T>(plugin: LoadedPlugin, token: Token<T>): T[] => plugin.own(token);
  inventories = inventoryLookup(ofKind('inventory').flatMap((p) => own<InventoryProvider>(p, INVENTORY)));

  const connectors = new Map<ServerRole, Connector>();
  const connector = (role: ServerRole): Connector => {
    const cached = connectors.get(role);
    if (cached) return cached;
    const access = loaded.config[role].access;
    const plugin = plugins[loaded.plugins.indexOf(loaded.connectors[role])];
    const registered = plugin ? own<Connector>(plugin, CONNECTOR) : [];
    // A plugin may register several connectors; `access` picks one, else the only one counts.
    const found =
      registered.find((c) => c.access === access) ?? (registered.length === 1 ? registered[0] : undefined);
    if (!found)
      throw new PluginLoadError(
        `connector plugin ${plugin?.definition.meta.name ?? access} registers no connector for access "${access}" (${role}.access)`,
        { remedy: 'a connector plugin must register a Connector under the CONNECTOR token in register()' },
      );
    connectors.set(role, found);
    return found;
  };

  const routes: Route[] = [];
  let closed = false;
  const task: LoadedTask = {
    config: loaded.config,
    configPath: loaded.configPath,
    baseDir: loaded.baseDir,
    logger,
    redactor,
    plugins,
    connector,
    async openServer(role) {
      if (closed) throw new PgshiftError('PGSHIFT_TASK_CLOSED', 'the task was closed');
      const endpoint = loaded.config[role];
      const route = await connector(role).open(endpoint, {
        role,
        logger: logger.child({ role }),
        baseDir: loaded.baseDir,
        timeoutMs: Number(loaded.config.options.connectTimeoutSeconds ?? 15) * 1000,
      });
      routes.push(route);
      return createServerHandle(role, route, endpoint.database ?? 'postgres');
    },
    checkers() {
      const out: CheckerEntry[] = [];
      // A replicator may bring the checks only it can make (the formats it reads).
      for (const plugin of [...ofKind('checker'), ...ofKind('replicator')])
        for (const checker of own(plugin, CHECKER))
          out.push({ checker, options: plugin.options, plugin: plugin.definition.meta.name });
      return out;
    },
    policies() {
      // Policies the config names come first, so they win over first-party defaults.
      const explicit = new Set(loaded.plugins.filter((p) => p.explicit).map((p) => p.definition));
      const sorted = [...ofKind('version-policy')].sort(
        (a, b) => Number(explicit.has(b.definition)) - Number(explicit.has(a.definition)),
      );
      return sorted.flatMap((p) => own(p, VERSION_POLICY));
    },
    loader() {
      const found = ofKind('loader').flatMap((p) => own<Loader>(p, LOADER))[0];
      if (!found) throw new MissingPluginError('loader', 'loader-native');
      return found;
    },
    replicator() {
      const found = ofKind('replicator').flatMap((p) => own<Replicator>(p, REPLICATOR))[0];
      if (!found) throw new MissingPluginError('replicator', 'replicator-logical');
      return found;
    },
    async close() {
      closed = true;
      const open = routes.splice(0);
      await Promise.allSettled(open.map((r) => r.close()));
    },
  };
  return task;
}

const BUILT_IN_NAMES = { loader: 'loader-native', replicator: 'replicator-logical' } as const;

/**
 * The built-in loader and replicator, for a task whose loader or replicator builds on them
 * (BUILT_IN_LOADER, BUILT_IN_REPLICATOR). Looked up only when another plugin of those kinds is in use.
 */
async function builtInDefinitions(
  plugins: readonly { definition: PluginDefinition }[],
  catalog: PluginCatalog,
): Promise<BuiltInDefinitions> {
  const out: BuiltInDefinitions = {};
  for (const kind of ['loader', 'replicator'] as const) {
    const name = BUILT_IN_NAMES[kind];
    const used = plugins.find((p) => p.definition.meta.kind === kind);
    if (!used) continue;
    if (used.definition.meta.name === name) out[kind] = used.definition;
    else
      out[kind] = await catalog.resolve(name).then(
        (found) => found.definition,
        () => undefined,
      );
  }
  return out;
}

function dirOf(configPath: string): string {
  return dirname(resolve(configPath));
}
