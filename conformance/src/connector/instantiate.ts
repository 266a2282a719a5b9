import {
  CONNECTOR,
  type Connector,
  INVENTORIES,
  INVENTORY,
  type InventoryLookup,
  type InventoryProvider,
  type PluginDefinition,
  type Token,
} from '@pgshift/plugin-api';
import { instantiateForSuite, suiteHost } from '../host.js';

/**
 * Registers the inventory plugins, then the connector with an INVENTORIES lookup over them
 * (what the kernel provides), and returns the connector it registered.
 */
export async function instantiateConnector(
  plugin: PluginDefinition,
  inventories: readonly PluginDefinition[] = [],
): Promise<Connector> {
  const providers = new Map<string, InventoryProvider>();
  for (const definition of inventories)
    for (const provider of (await instantiateForSuite(definition)).own(INVENTORY))
      providers.set(provider.name, provider);
  const lookup: InventoryLookup = { get: (name) => providers.get(name), names: () => [...providers.keys()] };
  const host = <T>(token: Token<T>) => (token === INVENTORIES ? (lookup as T) : suiteHost(token));
  const connector = (await instantiateForSuite(plugin, {}, host)).own(CONNECTOR)[0];
  if (!connector) throw new Error(`plugin ${plugin.meta.name} registered no CONNECTOR`);
  return connector;
}
