import { PluginLoadError } from './errors.js';
import { silentLogger } from './logger.js';
import type { FrozenOptions, PluginDefinition, Registrar, Resolver } from './plugin.js';
import type { Token } from './tokens.js';
import { LOGGER } from './well-known-tokens.js';

/** What a plugin registered, after its register() ran. */
export interface PluginInstance<O extends object = object> {
  readonly definition: PluginDefinition<O>;
  /** The frozen options the plugin was given. */
  readonly options: FrozenOptions<O>;
  /** Everything the plugin itself registered under `token`, in order (several checkers, say). */
  own<T>(token: Token<T>): T[];
  /** What the plugin resolves: its own registration, else the host's. */
  readonly resolver: Resolver;
}

/** Answers a token the plugin did not register itself; undefined when the host has nothing for it. */
export type HostServices = <T>(token: Token<T>) => T | undefined;

/** Host services that answer LOGGER with a logger that writes nothing, and nothing else. */
export const quietHost: HostServices = <T>(token: Token<T>) =>
  token === LOGGER ? (silentLogger as T) : undefined;

/**
 * A plugin's options as its `plugins` entry gives them: defaultOptions with `given` over them, key
 * by key. The kernel validates the result against configSchema before the plugin sees it.
 */
export function optionsOverDefaults(
  definition: Pick<PluginDefinition, 'defaultOptions'>,
  given: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return { ...(definition.defaultOptions ?? {}), ...given };
}

export interface InstantiateOptions {
  /**
   * The options as the host validated them: defaultOptions with the config's entry over them.
   * Absent, the definition's defaultOptions.
   */
  options?: Readonly<Record<string, unknown>>;
  host?: HostServices;
}

type Registration = { value: unknown } | { make: (resolver: Resolver) => unknown };

/** Freezes a plain value and everything it holds (copied first, so the caller's object stays its own). */
export function frozenCopy<T>(value: T): FrozenOptions<T> {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as FrozenOptions<T>;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = frozenCopy(item);
    return Object.freeze(out) as FrozenOptions<T>;
  }
  return value as FrozenOptions<T>;
}

/** The registrar for one plugin and a way to read what it registered. */
function registrations<O extends object>(
  definition: PluginDefinition<O>,
  settings: InstantiateOptions,
): { registrar: Registrar<O>; instance: PluginInstance<O> } {
  const options = frozenCopy((settings.options ?? definition.defaultOptions ?? {}) as O);
  const table = new Map<symbol, Registration[]>();
  const made = new Map<Registration, unknown>();
  const registered = (entry: Registration): unknown => {
    if ('value' in entry) return entry.value;
    if (!made.has(entry)) made.set(entry, entry.make(ownResolver));
    return made.get(entry);
  };
  const own = <T>(token: Token<T>): T[] => (table.get(token) ?? []).map(registered) as T[];
  const ownResolver: Resolver = {
    resolve<T>(token: Token<T>): T {
      const mine = table.get(token);
      if (mine && mine.length > 0) return registered(mine[mine.length - 1]!) as T;
      const provided = settings.host?.(token);
      if (provided !== undefined) return provided;
      throw new PluginLoadError(
        `plugin ${definition.meta.name} asked for ${token.description ?? 'a token'}, which nothing provides`,
        { remedy: 'register it in register() before resolving it, or resolve only what the host provides' },
      );
    },
    resolveAll<T>(token: Token<T>): T[] {
      const mine = own(token);
      if (mine.length > 0) return mine;
      const provided = settings.host?.(token);
      return provided === undefined ? [] : [provided];
    },
    isRegistered<T>(token: Token<T>): boolean {
      return (table.get(token)?.length ?? 0) > 0 || settings.host?.(token) !== undefined;
    },
  };
  const add = (token: symbol, entry: Registration) => table.set(token, [...(table.get(token) ?? []), entry]);
  const registrar: Registrar<O> = {
    plugin: definition.meta,
    options,
    ...ownResolver,
    value: (token, value) => add(token, { value }),
    factory: (token, make) => add(token, { make }),
  };
  return { registrar, instance: { definition, options, own, resolver: ownResolver } };
}

function registerFailed(definition: PluginDefinition, error: unknown): PluginLoadError {
  if (error instanceof PluginLoadError) return error;
  return new PluginLoadError(
    `plugin ${definition.meta.name} failed to register: ${String((error as Error)?.message ?? error)}`,
    { cause: error, remedy: `report this to the author of ${definition.meta.name}` },
  );
}

/**
 * Runs a plugin's register() and returns what it registered. The kernel builds every plugin of a
 * task through this, and the conformance suite every plugin it tests.
 */
export async function instantiatePlugin<O extends object>(
  definition: PluginDefinition<O>,
  settings: InstantiateOptions = {},
): Promise<PluginInstance<O>> {
  const { registrar, instance } = registrations(definition, settings);
  try {
    await definition.register(registrar);
  } catch (error) {
    throw registerFailed(definition as PluginDefinition, error);
  }
  return instance;
}

/**
 * The same, for a plugin whose register() does not wait on anything: the host uses it to make
 * the built-in loader and replicator at the moment a plugin asks for them.
 */
export function instantiatePluginNow<O extends object>(
  definition: PluginDefinition<O>,
  settings: InstantiateOptions = {},
): PluginInstance<O> {
  const { registrar, instance } = registrations(definition, settings);
  let result: unknown;
  try {
    result = definition.register(registrar);
  } catch (error) {
    throw registerFailed(definition as PluginDefinition, error);
  }
  if (result && typeof (result as Promise<void>).then === 'function')
    throw new PluginLoadError(`plugin ${definition.meta.name} registers asynchronously`, {
      remedy: 'a built-in plugin must register synchronously',
    });
  return instance;
}
