import {
  LOGGER,
  type PluginDefinition,
  type PluginMeta,
  type Registrar,
  type Resolver,
  silentLogger,
  type Token,
} from '@pgshift/plugin-api';

/** What a plugin registered, by token, after `register` ran against a stand-in registrar. */
export interface PluginInstance {
  definition: PluginDefinition;
  options: Record<string, unknown>;
  resolve<T>(token: Token<T>): T;
  isRegistered<T>(token: Token<T>): boolean;
}

/**
 * Runs a plugin's `register` the way the kernel does — defaultOptions merged with the given
 * options — without the kernel's container, so suites can test a plugin on its own.
 */
export async function instantiatePlugin(
  definition: PluginDefinition,
  options: Record<string, unknown> = {},
): Promise<PluginInstance> {
  const merged = { ...(definition.defaultOptions ?? {}), ...options };
  const values = new Map<symbol, unknown>();
  const factories = new Map<symbol, (resolver: Resolver) => unknown>();
  const provided = new Map<symbol, unknown>([[LOGGER, silentLogger]]);
  const resolver: Resolver = {
    resolve<T>(token: Token<T>): T {
      if (values.has(token)) return values.get(token) as T;
      const factory = factories.get(token);
      if (factory) {
        const value = factory(resolver);
        values.set(token, value);
        return value as T;
      }
      if (provided.has(token)) return provided.get(token) as T;
      throw new Error(`nothing is registered for ${String(token.description)}`);
    },
    isRegistered<T>(token: Token<T>): boolean {
      return values.has(token) || factories.has(token) || provided.has(token);
    },
  };
  const registrar: Registrar = {
    plugin: definition.meta as PluginMeta,
    options: Object.freeze(merged),
    resolve: resolver.resolve,
    isRegistered: resolver.isRegistered,
    value(token, value) {
      values.set(token, value);
    },
    factory(token, factory) {
      factories.set(token, factory);
    },
    singleton(token, ctor) {
      factories.set(token, () => new (ctor as unknown as new () => unknown)());
    },
  };
  await definition.register(registrar);
  return {
    definition,
    options: merged,
    resolve: resolver.resolve,
    isRegistered: (token) => values.has(token) || factories.has(token),
  };
}
