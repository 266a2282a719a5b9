import { PLUGIN_API_VERSION, PluginApiVersionError } from '@pgshift/plugin-api';

function parse(version: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** A plugin runs when it targets our major version and a minor version we already provide. */
export function checkApiVersion(plugin: string, apiVersion: string, supported = PLUGIN_API_VERSION): void {
  const theirs = parse(apiVersion);
  const ours = parse(supported);
  if (!theirs || !ours || theirs[0] !== ours[0] || theirs[1] > ours[1])
    throw new PluginApiVersionError(plugin, apiVersion, supported);
}
