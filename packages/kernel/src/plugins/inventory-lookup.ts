import type { InventoryLookup, InventoryProvider } from '@pgshift/plugin-api';

/**
 * The inventory providers of every loaded inventory plugin, by name. Connectors resolve it when
 * they open a route, so an inventory plugin may be loaded in any order relative to them.
 */
export function inventoryLookup(providers: readonly InventoryProvider[]): InventoryLookup {
  const byName = new Map(providers.map((p) => [p.name, p]));
  return {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()],
  };
}
