// TODO(console-data): replace with listPlugins() from @pgshift/kernel once that branch lands
// (it knows where conformance reports are); this stand-in lists the first-party plugins as
// `pgshift plugins` does and reports no conformance status.
import { PluginCatalog } from '@pgshift/kernel';

export interface PluginEntry {
  name: string;
  kind: string;
  version: string;
  capabilities: string[];
  source: string;
  /** e.g. `passed` / `failed` from a conformance report; undefined when none exists. */
  conformance?: string;
  error?: string;
}

export async function listPlugins(baseDir = process.cwd()): Promise<PluginEntry[]> {
  const rows: PluginEntry[] = [];
  for (const found of await new PluginCatalog(baseDir).firstParty()) {
    if ('error' in found)
      rows.push({
        name: found.package.name ?? found.package.packageName,
        kind: '?',
        version: '?',
        capabilities: [],
        source: found.package.packageName,
        error: String((found.error as Error)?.message ?? found.error).split('\n')[0] ?? '',
      });
    else
      rows.push({
        name: found.definition.meta.name,
        kind: found.definition.meta.kind,
        version: found.definition.meta.version,
        capabilities: [...found.definition.capabilities],
        source: found.source,
      });
  }
  return rows.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
