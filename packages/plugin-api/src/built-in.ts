import type { Loader } from './loader.js';
import type { PluginDefinition } from './plugin.js';
import { type HostServices, instantiatePluginNow, optionsOverDefaults } from './plugin-instance.js';
import type { Replicator } from './replicator.js';
import { contractToken, type Token } from './tokens.js';
import { LOADER, REPLICATOR } from './well-known-tokens.js';

/** Makes pgshift's own loader (schema from the catalogs, parallel COPY under the snapshot). */
export type BuiltInLoaderFactory = () => Loader;
/**
 * Makes pgshift's own replicator (slot with exported snapshot, transactional apply with a durable
 * position), with tuning options of the replicator-logical plugin (`groupMaxMs`, ...) over its
 * defaults.
 */
export type BuiltInReplicatorFactory = (options?: Readonly<Record<string, unknown>>) => Replicator;

/**
 * Provided by the host (the kernel in a migration, the conformance suite in its tests) so that a
 * loader or replicator can build on pgshift's own, wrapping the phases it changes
 * (extendLoader, extendReplicator), without depending on any class of pgshift's plugins.
 */
export const BUILT_IN_LOADER = contractToken<BuiltInLoaderFactory>('pgshift.built-in-loader');
export const BUILT_IN_REPLICATOR = contractToken<BuiltInReplicatorFactory>('pgshift.built-in-replicator');

/** The built-in plugins' definitions, as the host found them. */
export interface BuiltInDefinitions {
  loader?: PluginDefinition;
  replicator?: PluginDefinition;
}

/** Host services that answer BUILT_IN_LOADER and BUILT_IN_REPLICATOR from the built-in plugins. */
export function builtInServices(definitions: BuiltInDefinitions, host?: HostServices): HostServices {
  const make =
    <T>(definition: PluginDefinition, token: Token<T>) =>
    (options?: Readonly<Record<string, unknown>>): T => {
      const instance = instantiatePluginNow(definition, {
        options: optionsOverDefaults(definition, options),
        ...(host ? { host } : {}),
      });
      return instance.resolver.resolve(token);
    };
  const loader = definitions.loader;
  const replicator = definitions.replicator;
  const answers = new Map<symbol, unknown>();
  if (loader) answers.set(BUILT_IN_LOADER, (() => make(loader, LOADER)()) satisfies BuiltInLoaderFactory);
  if (replicator)
    answers.set(BUILT_IN_REPLICATOR, make(replicator, REPLICATOR) satisfies BuiltInReplicatorFactory);
  return <T>(token: Token<T>) => (answers.get(token) as T | undefined) ?? host?.(token);
}
