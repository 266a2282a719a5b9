import {
  type CloudInventory,
  ConfigError,
  type ConnectorContext,
  INVENTORIES,
  type InventoryLookup,
  type Resolver,
} from '@pgshift/plugin-api';

/** The `inventory` block of a connector config. */
export interface InventoryRef {
  use: string;
  options?: Record<string, unknown>;
  [field: string]: unknown;
}

/**
 * Opens the inventory a connector block names, through the inventory plugins the kernel loaded
 * (the INVENTORIES lookup). First-party fields sit beside `use`; a third-party plugin's under
 * `options`; the provider receives both, merged, without `use`.
 */
export async function openInventory(
  resolver: Resolver | undefined,
  ref: InventoryRef | undefined,
  ctx: ConnectorContext,
): Promise<CloudInventory> {
  const path = `${ctx.role}.inventory`;
  if (!ref)
    throw new ConfigError([{ path, message: 'this access mode needs an inventory to resolve resources' }]);
  const lookup: InventoryLookup | undefined =
    resolver?.isRegistered(INVENTORIES) === true ? resolver.resolve(INVENTORIES) : undefined;
  const provider = lookup?.get(ref.use);
  if (!provider) {
    const loaded = lookup?.names() ?? [];
    throw new ConfigError(
      [
        {
          path: `${path}.use`,
          message: `no inventory plugin named "${ref.use}" is loaded (loaded: ${loaded.length ? loaded.join(', ') : 'none'})`,
        },
      ],
      { remedy: 'use static or tencentcloud, or add the inventory plugin to `plugins`' },
    );
  }
  const { use: _use, options, ...fields } = ref;
  return provider.open({ ...fields, ...(options ?? {}) }, ctx);
}
