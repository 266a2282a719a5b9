import { PluginCatalog } from '@pgshift/kernel';
import type { PluginDefinition } from '@pgshift/plugin-api';

/** The first-party plugins that load here: what the form offers and whose schemas mark secrets. */
export interface InstalledPlugins {
  /** The connectors (access modes), by name. */
  connectors: readonly PluginDefinition[];
  byName(name: string): PluginDefinition | undefined;
}

const cache = new Map<string, Promise<InstalledPlugins>>();

async function load(baseDir: string): Promise<InstalledPlugins> {
  const found = await new PluginCatalog(baseDir).firstParty();
  // A plugin that fails to load is not offered; `pgshift plugins` is where its error shows.
  const all = found.flatMap((f) => ('definition' in f ? [f.definition] : []));
  all.sort((a, b) => a.meta.name.localeCompare(b.meta.name));
  return {
    connectors: all.filter((d) => d.meta.kind === 'connector'),
    byName: (name) => all.find((d) => d.meta.name === name),
  };
}

/** Loaded once per process and base directory: importing every plugin per request would be slow. */
export function installedPlugins(baseDir: string): Promise<InstalledPlugins> {
  let promise = cache.get(baseDir);
  if (!promise) {
    promise = load(baseDir);
    cache.set(baseDir, promise);
  }
  return promise;
}
