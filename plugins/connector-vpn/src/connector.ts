import type { Connector, Resolver } from '@pgshift/plugin-api';
import { type InventoryEndpointBlock, inventoryConnector } from '@pgshift/ssh-tunnel';
import { resolveVpn, type VpnTarget } from './resolve.js';

export interface VpnConfig extends VpnTarget, InventoryEndpointBlock {
  host: string;
  port: number;
}

/** PostgreSQL in a data centre reached through a VPN; the address is used as given once the VPN checks out. */
export function vpnConnector(resolver: Resolver | undefined): Connector<VpnConfig> {
  return inventoryConnector<VpnConfig>('vpn', resolver, async (inventory, config) => {
    await resolveVpn(inventory, config);
    const through = config.vpnType === 'cloud' ? `VPN gateway ${config.vpnGatewayId}` : 'self-built VPN';
    return {
      description: `vpn (${through}, ${config.vpcId}, ${config.region}) to ${config.host}:${config.port}`,
      host: config.host,
      port: config.port,
      facts: {
        region: config.region,
        vpnType: config.vpnType,
        vpnGatewayId: config.vpnGatewayId,
        vpcId: config.vpcId,
      },
    };
  });
}
