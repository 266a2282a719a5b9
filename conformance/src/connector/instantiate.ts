import {
  CONNECTOR,
  type Connector,
  INVENTORIES,
  INVENTORY,
  type InventoryLookup,
  type InventoryProvider,
  type PluginDefinition,
} from '@pgshift/plugin-api';
import { instantiatePlugin } from '../checker/instantiate.js';

/**
 * Registers the inventory plugins, then the connector with an INVENTORIES lookup over them
 * (what the kernel provides), and returns the connector it registered.
 */
export async function instantiateConnector(
  plugin: PluginDefinition,
  inventories: readonly PluginDefinition[] = [],
): Promise<Connector> {
  const providers = new Map<string, InventoryProvider>();
  for (const definition of inventories) {
    const instance = await instantiatePlugin(definition);
    const provider = instance.resolve(INVENTORY);
    providers.set(provider.name, provider);
  }
  const lookup: InventoryLookup = { get: (name) => providers.get(name), names: () => [...providers.keys()] };
  let connector: Connector | undefined;
  // The connector may resolve INVENTORIES at register time or later, through the registrar it kept.
  const wrapped: PluginDefinition = {
    ...plugin,
    register(registrar) {
      const facade = {
        ...registrar,
        resolve: <T>(token: symbol & { readonly __type?: T }) =>
          (token === INVENTORIES ? lookup : registrar.resolve(token)) as T,
        isRegistered: <T>(token: symbol & { readonly __type?: T }) =>
          token === INVENTORIES || registrar.isRegistered(token),
        value: <T>(token: symbol & { readonly __type?: T }, value: T) => {
          if (token === CONNECTOR) connector = value as Connector;
          registrar.value(token, value);
        },
      };
      return plugin.register(facade);
    },
  };
  const instance = await instantiatePlugin(wrapped);
  connector ??= instance.isRegistered(CONNECTOR) ? instance.resolve(CONNECTOR) : undefined;
  if (!connector) throw new Error(`plugin ${plugin.meta.name} registered no CONNECTOR`);
  return connector;
}
