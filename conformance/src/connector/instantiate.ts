import { inventoryLookup } from '@pgshift/kernel';
import {
  CONNECTOR,
  type Connector,
  INVENTORIES,
  INVENTORY,
  type PluginDefinition,
  type Token,
} from '@pgshift/plugin-api';
import { instantiateForSuite, suiteHost } from '../host.js';

/**
 * Registers the inventory plugins, then the connector with the INVENTORIES lookup over them that
 * the kernel builds (inventoryLookup), and returns the connector it registered.
 */
export async function instantiateConnector(
  plugin: PluginDefinition,
  inventories: readonly PluginDefinition[] = [],
): Promise<Connector> {
  const providers = [];
  for (const definition of inventories)
    providers.push(...(await instantiateForSuite(definition)).own(INVENTORY));
  const lookup = inventoryLookup(providers);
  const host = <T>(token: Token<T>) => (token === INVENTORIES ? (lookup as T) : suiteHost(token));
  const connector = (await instantiateForSuite(plugin, {}, host)).own(CONNECTOR)[0];
  if (!connector) throw new Error(`plugin ${plugin.meta.name} registered no CONNECTOR`);
  return connector;
}
