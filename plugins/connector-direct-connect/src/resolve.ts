import { type CloudInventory, ResourceError } from '@pgshift/plugin-api';

export interface DirectConnectTarget {
  dcGatewayId: string;
  vpcId: string;
  region?: string;
  host: string;
}

/** Checks the gateway belongs to the VPC and maps the data-centre address through its mappings. */
export async function resolveDirectConnect(
  inventory: CloudInventory,
  target: DirectConnectTarget,
): Promise<{ address: string; mapped: boolean }> {
  const id = target.dcGatewayId;
  const where = target.region ? ` in ${target.region}` : '';
  const gateway = await inventory.directConnectGateway(target.region, id);
  if (!gateway)
    throw new ResourceError(`direct-connect gateway ${id} was not found${where} (${inventory.description})`, {
      remedy: 'check dcGatewayId (and region)',
    });
  if (gateway.vpcId !== target.vpcId)
    throw new ResourceError(
      `direct-connect gateway ${id} belongs to ${gateway.vpcId ? `VPC ${gateway.vpcId}` : 'no VPC'}, not to VPC ${target.vpcId}`,
      { remedy: 'set vpcId to the VPC the gateway is attached to' },
    );
  const mapping = gateway.addressMappings.find((m) => m.from === target.host);
  return mapping ? { address: mapping.to, mapped: true } : { address: target.host, mapped: false };
}
