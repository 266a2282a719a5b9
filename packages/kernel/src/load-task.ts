import { dirname, resolve } from 'node:path';
import { createServerHandle } from '@pgshift/pg';
import {
  CHECKER,
  CONNECTOR,
  type Connector,
  INVENTORIES,
  INVENTORY,
  type InventoryProvider,
  LOADER,
  LOGGER,
  type Loader,
  PgshiftError,
  PluginLoadError,
  REPLICATOR,
  type Replicator,
  type Route,
  type ServerRole,
  VERSION_POLICY,
} from '@pgshift/plugin-api';
import { container as rootContainer } from 'tsyringe';
import { loadConfig } from './config/load-config.js';
import type { CheckerEntry, LoadedPlugin, LoadedTask, LoadTaskOptions } from './loaded-task.js';
import { createLogger } from './logging/logger.js';
import { Redactor } from './logging/redactor.js';
import { inventoryLookup } from './plugins/inventory-lookup.js';
import { PluginCatalog } from './plugins/plugin-catalog.js';
import { createRegistrar, resolveOwn, resolverOf } from './plugins/registrar.js';

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
  const loaded = await loadConfig(configPath, {
    redactor,
    catalog: new PluginCatalog(dirOf(configPath)),
    ...(options.firstPartyDefaults === undefined ? {} : { firstPartyDefaults: options.firstPartyDefaults }),
  });
  for (const warning of loaded.warnings) logger.warn(warning);

  // One root per task, so two tasks in one process never share registrations.
  const root = rootContainer.createChildContainer();
  root.register(LOGGER, { useValue: logger });
  const plugins: LoadedPlugin[] = [];
  const containers = new Map<LoadedPlugin, ReturnType<typeof root.createChildContainer>>();
  for (const pending of loaded.plugins) {
    const { meta } = pending.definition;
    const child = root.createChildContainer();
    child.register(LOGGER, { useValue: logger.child({ plugin: meta.name }) });
    const options = Object.freeze({ ...pending.options });
    try {
      await pending.definition.register(createRegistrar(child, meta, options));
    } catch (error) {
      throw new PluginLoadError(
        `plugin ${meta.name} failed to register: ${redactor.redact(String((error as Error)?.message ?? error))}`,
        {
          cause: error,
          remedy: `report this to the author of ${meta.name} (loaded from ${pending.source})`,
        },
      );
    }
    const plugin: LoadedPlugin = {
      definition: pending.definition,
      source: pending.source,
      resolver: resolverOf(child),
      options,
    };
    plugins.push(plugin);
    containers.set(plugin, child);
    logger.debug(`plugin ${meta.name} ${meta.version} (${meta.kind}) loaded`, { source: pending.source });
  }

  const ofKind = (kind: string) => plugins.filter((p) => p.definition.meta.kind === kind);
  const own = <T>(plugin: LoadedPlugin, token: Parameters<typeof resolveOwn<T>>[1]) =>
    resolveOwn<T>(containers.get(plugin)!, token);
  root.register(INVENTORIES, {
    useValue: inventoryLookup(ofKind('inventory').flatMap((p) => own<InventoryProvider>(p, INVENTORY))),
  });

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

function dirOf(configPath: string): string {
  return dirname(resolve(configPath));
}
