import { type CloudInventory, ResourceError } from '@pgshift/plugin-api';

export interface VpnTarget {
  region: string;
  vpnType: 'cloud' | 'self-built';
  vpnGatewayId?: string;
  vpcId: string;
}

/** Cloud VPN: the gateway exists, is available and sits in the VPC. Self-built: the VPC exists. */
export async function resolveVpn(inventory: CloudInventory, target: VpnTarget): Promise<void> {
  const { region, vpcId } = target;
  if (target.vpnType === 'self-built') {
    const vpc = await inventory.vpc(region, vpcId);
    if (!vpc)
      throw new ResourceError(`VPC ${vpcId} was not found in ${region} (${inventory.description})`, {
        remedy: 'check vpcId and region',
      });
    return;
  }
  const id = target.vpnGatewayId as string;
  const gateway = await inventory.vpnGateway(region, id);
  if (!gateway)
    throw new ResourceError(`VPN gateway ${id} was not found in ${region} (${inventory.description})`, {
      remedy: 'check vpnGatewayId and region',
    });
  if (!gateway.available)
    throw new ResourceError(`VPN gateway ${id} is ${gateway.state} in ${region}, not AVAILABLE`, {
      remedy: 'wait until the gateway is available, or choose another one',
    });
  if (gateway.vpcId !== vpcId)
    throw new ResourceError(
      `VPN gateway ${id} is in ${gateway.vpcId ? `VPC ${gateway.vpcId}` : 'no VPC'}, not in VPC ${vpcId}`,
      { remedy: 'set vpcId to the VPC of the gateway' },
    );
}
