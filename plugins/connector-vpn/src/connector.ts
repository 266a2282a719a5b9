import type { Connector, Resolver } from '@pgshift/plugin-api';
import {
  endpointFields,
  type InventoryRef,
  openInventory,
  openRoute,
  type SecretValue,
  type SshJumpConfig,
} from '@pgshift/ssh-tunnel';
import { resolveVpn, type VpnTarget } from './resolve.js';

export interface VpnConfig extends VpnTarget {
  host: string;
  port: number;
  user: string;
  password: SecretValue;
  database?: string;
  inventory: InventoryRef;
  via?: { ssh?: SshJumpConfig };
}

/** PostgreSQL in a data centre reached through a VPN; the address is used as given once the VPN checks out. */
export function vpnConnector(resolver: Resolver | undefined): Connector<VpnConfig> {
  return {
    access: 'vpn',
    async open(config, ctx) {
      const inventory = await openInventory(resolver, config.inventory, ctx);
      await resolveVpn(inventory, config);
      const through = config.vpnType === 'cloud' ? `VPN gateway ${config.vpnGatewayId}` : 'self-built VPN';
      return openRoute(
        {
          description: `vpn (${through}, ${config.vpcId}, ${config.region}) to ${config.host}:${config.port}`,
          host: config.host,
          port: config.port,
          ...endpointFields(config),
          facts: {
            access: 'vpn',
            region: config.region,
            vpnType: config.vpnType,
            vpnGatewayId: config.vpnGatewayId,
            vpcId: config.vpcId,
          },
        },
        ctx,
      );
    },
  };
}
