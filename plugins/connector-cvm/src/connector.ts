import type { Connector, Resolver } from '@pgshift/plugin-api';
import {
  endpointFields,
  type InventoryRef,
  openInventory,
  openRoute,
  type SecretValue,
  type SshJumpConfig,
} from '@pgshift/ssh-tunnel';
import { type CvmTarget, resolveCvm } from './resolve.js';

export interface CvmConfig extends CvmTarget {
  port: number;
  user: string;
  password: SecretValue;
  database?: string;
  inventory: InventoryRef;
  via?: { ssh?: SshJumpConfig };
}

/** Self-built PostgreSQL on a CVM: the instance id resolves, through the inventory, to its private address. */
export function cvmConnector(resolver: Resolver | undefined): Connector<CvmConfig> {
  return {
    access: 'cvm',
    async open(config, ctx) {
      const inventory = await openInventory(resolver, config.inventory, ctx);
      const instance = await resolveCvm(inventory, config);
      const host = instance.privateAddresses[0] as string;
      return openRoute(
        {
          description: `cvm ${config.instanceId} in ${config.region} (${host}:${config.port})`,
          host,
          port: config.port,
          ...endpointFields(config),
          facts: {
            access: 'cvm',
            region: config.region,
            network: config.network,
            vpcId: instance.vpcId,
            subnetId: instance.subnetId,
            instanceId: config.instanceId,
            publicAddress: instance.publicAddresses[0],
          },
        },
        ctx,
      );
    },
  };
}
