import type { PluginDefinition } from '@pgshift/plugin-api';
import { type ConformanceStatus, conformanceStatus } from './conformance-reports.js';
import { PluginCatalog } from './plugin-catalog.js';

/** One plugin as `pgshift plugins --json` and the console's plugins page list it. */
export interface PluginRow {
  name: string;
  kind: string;
  version: string;
  apiVersion: string;
  capabilities: string[];
  source: string;
  description?: string;
  /** Why it could not be loaded. */
  error?: string;
  /** Its last `pgshift conformance` run on this machine, if any. */
  conformance?: ConformanceStatus;
}

function withConformance(row: PluginRow): PluginRow {
  const conformance = conformanceStatus(row.name);
  return conformance ? { ...row, conformance } : row;
}

/** The row of a loaded plugin. */
export function pluginRow(
  definition: Pick<PluginDefinition, 'meta' | 'capabilities'>,
  source: string,
): PluginRow {
  const { meta } = definition;
  return withConformance({
    name: meta.name,
    kind: meta.kind,
    version: meta.version,
    apiVersion: meta.apiVersion,
    capabilities: [...definition.capabilities],
    source,
    ...(meta.description ? { description: meta.description } : {}),
  });
}

/** Rows by kind, then name. */
export function sortPluginRows(rows: PluginRow[]): PluginRow[] {
  return rows.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

/** Every first-party plugin present here, a package that does not load with its error. */
export async function listPlugins(baseDir: string = process.cwd()): Promise<PluginRow[]> {
  const rows: PluginRow[] = [];
  for (const found of await new PluginCatalog(baseDir).firstParty()) {
    if ('error' in found)
      rows.push(
        withConformance({
          name: found.package.name ?? found.package.packageName,
          kind: '?',
          version: '?',
          apiVersion: '?',
          capabilities: [],
          source: found.package.packageName,
          error: (found.error as Error)?.message?.split('\n')[0] ?? String(found.error),
        }),
      );
    else rows.push(pluginRow(found.definition, found.source));
  }
  return sortPluginRows(rows);
}
