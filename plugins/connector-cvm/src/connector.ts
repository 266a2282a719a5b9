import type { Connector, Resolver } from '@pgshift/plugin-api';
import { type InventoryEndpointBlock, inventoryConnector } from '@pgshift/ssh-tunnel';
import { type CvmTarget, resolveCvm } from './resolve.js';

export interface CvmConfig extends CvmTarget, InventoryEndpointBlock {
  port: number;
}

/** Self-built PostgreSQL on a CVM: the instance id resolves, through the inventory, to its private address. */
export function cvmConnector(resolver: Resolver | undefined): Connector<CvmConfig> {
  return inventoryConnector<CvmConfig>('cvm', resolver, async (inventory, config) => {
    const instance = await resolveCvm(inventory, config);
    const host = instance.privateAddresses[0] as string;
    return {
      description: `cvm ${config.instanceId} in ${config.region} (${host}:${config.port})`,
      host,
      port: config.port,
      facts: {
        region: config.region,
        network: config.network,
        vpcId: instance.vpcId,
        subnetId: instance.subnetId,
        instanceId: config.instanceId,
        publicAddress: instance.publicAddresses[0],
      },
    };
  });
}
