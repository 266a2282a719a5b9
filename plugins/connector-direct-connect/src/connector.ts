import type { Connector, Resolver } from '@pgshift/plugin-api';
import { type InventoryEndpointBlock, inventoryConnector } from '@pgshift/ssh-tunnel';
import { type DirectConnectTarget, resolveDirectConnect } from './resolve.js';

export interface DirectConnectConfig extends DirectConnectTarget, InventoryEndpointBlock {
  port: number;
}

/** PostgreSQL in a data centre linked by a direct-connect gateway; its address may be mapped by the gateway. */
export function directConnectConnector(resolver: Resolver | undefined): Connector<DirectConnectConfig> {
  return inventoryConnector<DirectConnectConfig>('direct-connect', resolver, async (inventory, config) => {
    const { address, mapped } = await resolveDirectConnect(inventory, config);
    const shown = mapped ? `${config.host} mapped to ${address}` : config.host;
    return {
      description: `direct-connect ${config.dcGatewayId} to ${shown}:${config.port}`,
      host: address,
      port: config.port,
      facts: {
        region: config.region,
        dcGatewayId: config.dcGatewayId,
        vpcId: config.vpcId,
        dataCentreHost: config.host,
      },
    };
  });
}
