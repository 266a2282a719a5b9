import type { Connector, Resolver } from '@pgshift/plugin-api';
import { type InventoryEndpointBlock, inventoryConnector } from '@pgshift/ssh-tunnel';
import { type CloudInstanceTarget, resolveCloudInstance } from './resolve.js';

export interface CloudInstanceConfig extends CloudInstanceTarget, InventoryEndpointBlock {}

/** A managed PostgreSQL instance: its id resolves to the endpoint (vip:vport, or the public address). */
export function cloudInstanceConnector(resolver: Resolver | undefined): Connector<CloudInstanceConfig> {
  return inventoryConnector<CloudInstanceConfig>('cloud-instance', resolver, async (inventory, config) => {
    const endpoint = await resolveCloudInstance(inventory, config);
    return {
      description: `cloud-instance ${config.instanceId} in ${config.region} (${endpoint.kind} ${endpoint.host}:${endpoint.port})`,
      host: endpoint.host,
      port: endpoint.port,
      facts: {
        region: config.region,
        instanceId: config.instanceId,
        endpoint: endpoint.kind,
        vpcId: endpoint.vpcId,
        subnetId: endpoint.subnetId,
      },
    };
  });
}
