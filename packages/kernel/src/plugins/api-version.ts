import { apiVersionSupported, PLUGIN_API_VERSION, PluginApiVersionError } from '@pgshift/plugin-api';

/** A plugin runs when it targets our major version and a minor version we already provide. */
export function checkApiVersion(plugin: string, apiVersion: string, supported = PLUGIN_API_VERSION): void {
  if (!apiVersionSupported(apiVersion, supported))
    throw new PluginApiVersionError(plugin, apiVersion, supported);
}
