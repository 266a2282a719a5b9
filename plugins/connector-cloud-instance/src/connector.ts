import type { Connector, Resolver } from '@pgshift/plugin-api';
import {
  endpointFields,
  type InventoryRef,
  openInventory,
  openRoute,
  type SecretValue,
  type SshJumpConfig,
} from '@pgshift/ssh-tunnel';
import { type CloudInstanceTarget, resolveCloudInstance } from './resolve.js';

export interface CloudInstanceConfig extends CloudInstanceTarget {
  user: string;
  password: SecretValue;
  database?: string;
  inventory: InventoryRef;
  via?: { ssh?: SshJumpConfig };
}

/** A managed PostgreSQL instance: its id resolves to the endpoint (vip:vport, or the public address). */
export function cloudInstanceConnector(resolver: Resolver | undefined): Connector<CloudInstanceConfig> {
  return {
    access: 'cloud-instance',
    async open(config, ctx) {
      const inventory = await openInventory(resolver, config.inventory, ctx);
      const endpoint = await resolveCloudInstance(inventory, config);
      return openRoute(
        {
          description: `cloud-instance ${config.instanceId} in ${config.region} (${endpoint.kind} ${endpoint.host}:${endpoint.port})`,
          host: endpoint.host,
          port: endpoint.port,
          ...endpointFields(config),
          facts: {
            access: 'cloud-instance',
            region: config.region,
            instanceId: config.instanceId,
            endpoint: endpoint.kind,
            vpcId: endpoint.vpcId,
            subnetId: endpoint.subnetId,
          },
        },
        ctx,
      );
    },
  };
}
