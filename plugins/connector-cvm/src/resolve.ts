import { type CloudInventory, type InventoryInstance, ResourceError } from '@pgshift/plugin-api';

export interface CvmTarget {
  region: string;
  network: 'basic' | 'vpc';
  vpcId?: string;
  subnetId?: string;
  instanceId: string;
}

/** Finds the instance and checks it is running and in the network the config names. */
export async function resolveCvm(inventory: CloudInventory, target: CvmTarget): Promise<InventoryInstance> {
  const { instanceId: id, region } = target;
  const instance = await inventory.instance(region, id);
  if (!instance)
    throw new ResourceError(`CVM instance ${id} was not found in ${region} (${inventory.description})`, {
      remedy: 'check instanceId and region',
      details: { instanceId: id, region },
    });
  if (!instance.running)
    throw new ResourceError(
      `CVM instance ${id} is ${instance.state} in ${region}; start it or choose another instance`,
      { details: { instanceId: id, region, state: instance.state } },
    );
  if (target.network === 'basic' && instance.vpcId)
    throw new ResourceError(`CVM instance ${id} is in VPC ${instance.vpcId}, not in the basic network`, {
      remedy: `set network: vpc, vpcId: ${instance.vpcId} and the instance's subnetId`,
    });
  if (target.network === 'vpc') {
    if (!instance.vpcId)
      throw new ResourceError(`CVM instance ${id} is in the basic network, not in VPC ${target.vpcId}`, {
        remedy: 'set network: basic',
      });
    if (instance.vpcId !== target.vpcId)
      throw new ResourceError(`CVM instance ${id} is in VPC ${instance.vpcId}, not in VPC ${target.vpcId}`, {
        remedy: 'correct vpcId, or choose the instance in that VPC',
      });
    if (instance.subnetId !== target.subnetId)
      throw new ResourceError(
        `CVM instance ${id} is in subnet ${instance.subnetId ?? '(none)'}, not in subnet ${target.subnetId} of VPC ${target.vpcId}`,
        { remedy: 'correct subnetId' },
      );
  }
  if (instance.privateAddresses.length === 0)
    throw new ResourceError(`CVM instance ${id} in ${region} has no private address`, {
      remedy: 'use public-ip with the instance’s public address',
    });
  return instance;
}
