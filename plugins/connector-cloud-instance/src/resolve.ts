import { type CloudInventory, type InventoryEndpoint, ResourceError } from '@pgshift/plugin-api';

export interface CloudInstanceTarget {
  instanceId: string;
  region: string;
  endpoint?: 'private' | 'public';
}

/** Finds the managed instance, checks it is running and picks its endpoint. */
export async function resolveCloudInstance(
  inventory: CloudInventory,
  target: CloudInstanceTarget,
): Promise<InventoryEndpoint> {
  const { instanceId: id, region } = target;
  const instance = await inventory.dbInstance(region, id);
  if (!instance)
    throw new ResourceError(
      `PostgreSQL instance ${id} was not found in ${region} (${inventory.description})`,
      {
        remedy: 'check instanceId and region',
      },
    );
  if (!instance.running)
    throw new ResourceError(`PostgreSQL instance ${id} is ${instance.status} in ${region}, not running`, {
      remedy: 'wait until the instance is running, or choose another one',
    });
  const wanted = target.endpoint;
  const endpoint = wanted
    ? instance.endpoints.find((e) => e.kind === wanted)
    : (instance.endpoints.find((e) => e.kind === 'private') ??
      instance.endpoints.find((e) => e.kind === 'public'));
  if (!endpoint)
    throw new ResourceError(
      `PostgreSQL instance ${id} in ${region} has no open ${wanted ?? 'private or public'} endpoint`,
      {
        remedy:
          wanted === 'public' ? 'open the public endpoint in the console' : 'check the instance network',
      },
    );
  return endpoint;
}
