import { pluginOptions } from '@pgshift/kernel';
import loaderNative from '@pgshift/loader-native';
import {
  builtInServices,
  type HostServices,
  instantiatePlugin,
  type PluginDefinition,
  type PluginInstance,
  quietHost,
} from '@pgshift/plugin-api';
import replicatorLogical from '@pgshift/replicator-logical';

/**
 * What the suite provides to a plugin under test, as the kernel does in a migration: a logger, and
 * pgshift's own loader and replicator for plugins that build on them.
 */
export const suiteHost: HostServices = builtInServices(
  { loader: loaderNative, replicator: replicatorLogical },
  quietHost,
);

/**
 * Builds the plugin under test the way a migration does: the same registrar (plugin-api's
 * instantiatePlugin), its options validated against its configSchema and frozen.
 */
export function instantiateForSuite(
  definition: PluginDefinition,
  options: Readonly<Record<string, unknown>> = {},
  host: HostServices = suiteHost,
): Promise<PluginInstance> {
  return instantiatePlugin(definition, { options: pluginOptions(definition, options), host });
}
