import {
  Capability,
  type CloudInventory,
  type Connector,
  type Resolver,
  type Route,
} from '@pgshift/plugin-api';
import { type InventoryRef, openInventory } from './inventory.js';
import { endpointFields, openRoute, ROUTE_CAPABILITIES } from './route.js';
import type { SecretValue } from './secret-text.js';
import type { TlsConfig } from './tls-config.js';
import type { SshJumpConfig } from './tunnel.js';

/** The fields of a block whose server is found through an inventory, besides the mode's own. */
export interface InventoryEndpointBlock {
  user: string;
  password: SecretValue;
  database?: string;
  tls?: TlsConfig;
  inventory: InventoryRef;
  via?: { ssh?: SshJumpConfig };
}

/** What a connector made by inventoryConnector can do: what its route can, and resolve through an inventory. */
export const INVENTORY_CONNECTOR_CAPABILITIES = [
  ...ROUTE_CAPABILITIES,
  Capability.connector.inventory,
] as const;

/** Where the server of one block is, as the inventory says, and what the route reports about it. */
export interface LocatedServer {
  /** What the route leads to, without secrets. */
  description: string;
  host: string;
  port: number;
  /** Facts beside `access` (region, ids), shown in status and reports. */
  facts: Route['facts'];
}

/**
 * A connector for an access mode that names cloud resources: it opens the block's inventory,
 * lets `locate` check the resources and find the server, then opens the route (through the SSH
 * jump host when the block gives one).
 */
export function inventoryConnector<C extends InventoryEndpointBlock>(
  access: string,
  resolver: Resolver | undefined,
  locate: (inventory: CloudInventory, config: C) => Promise<LocatedServer>,
): Connector<C> {
  return {
    access,
    async open(config, ctx) {
      const inventory = await openInventory(resolver, config.inventory, ctx);
      const server = await locate(inventory, config);
      return openRoute(
        {
          description: server.description,
          host: server.host,
          port: server.port,
          ...endpointFields(config),
          facts: { access, ...server.facts },
        },
        ctx,
      );
    },
  };
}
