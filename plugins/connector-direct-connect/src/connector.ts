import type { Connector, Resolver } from '@pgshift/plugin-api';
import {
  endpointFields,
  type InventoryRef,
  openInventory,
  openRoute,
  type SecretValue,
  type SshJumpConfig,
} from '@pgshift/ssh-tunnel';
import { type DirectConnectTarget, resolveDirectConnect } from './resolve.js';

export interface DirectConnectConfig extends DirectConnectTarget {
  port: number;
  user: string;
  password: SecretValue;
  database?: string;
  inventory: InventoryRef;
  via?: { ssh?: SshJumpConfig };
}

/** PostgreSQL in a data centre linked by a direct-connect gateway; its address may be mapped by the gateway. */
export function directConnectConnector(resolver: Resolver | undefined): Connector<DirectConnectConfig> {
  return {
    access: 'direct-connect',
    async open(config, ctx) {
      const inventory = await openInventory(resolver, config.inventory, ctx);
      const { address, mapped } = await resolveDirectConnect(inventory, config);
      const shown = mapped ? `${config.host} mapped to ${address}` : config.host;
      return openRoute(
        {
          description: `direct-connect ${config.dcGatewayId} to ${shown}:${config.port}`,
          host: address,
          port: config.port,
          ...endpointFields(config),
          facts: {
            access: 'direct-connect',
            region: config.region,
            dcGatewayId: config.dcGatewayId,
            vpcId: config.vpcId,
            dataCentreHost: config.host,
          },
        },
        ctx,
      );
    },
  };
}
