import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type CloudInventory, ConfigError, type InventoryProvider } from '@pgshift/plugin-api';
import { parse } from 'yaml';
import { type InventoryFile, parseInventory } from './inventory-file.js';

/** Reads the file once per open; lookups are answered from it. */
export function staticInventory(data: InventoryFile, description: string): CloudInventory {
  const inRegion = <T extends { id: string; region?: string }>(
    items: T[],
    region: string | undefined,
    id: string,
  ) =>
    items.find(
      (item) =>
        item.id === id && (region === undefined || item.region === undefined || item.region === region),
    );
  return {
    description,
    async instance(region, id) {
      const found = inRegion(data.instances, region, id);
      if (!found) return undefined;
      return {
        id,
        region: found.region,
        state: found.state,
        running: found.state.toUpperCase() === 'RUNNING',
        privateAddresses: found.privateAddresses ?? [],
        publicAddresses: found.publicAddresses ?? [],
        ...(found.vpcId ? { vpcId: found.vpcId } : {}),
        ...(found.subnetId ? { subnetId: found.subnetId } : {}),
      };
    },
    async dbInstance(region, id) {
      const found = inRegion(data.databases, region, id);
      if (!found) return undefined;
      return {
        id,
        region: found.region,
        status: found.status,
        running: found.status.toLowerCase() === 'running',
        endpoints: found.endpoints.map((e) => ({
          kind: e.type,
          host: e.host,
          port: e.port,
          ...(e.vpcId ? { vpcId: e.vpcId } : {}),
          ...(e.subnetId ? { subnetId: e.subnetId } : {}),
        })),
      };
    },
    async directConnectGateway(region, id) {
      const found = inRegion(data.directConnectGateways, region, id);
      return found && { ...found, addressMappings: found.addressMappings };
    },
    async vpnGateway(region, id) {
      const found = inRegion(data.vpnGateways, region, id);
      return found && { ...found, available: found.state.toUpperCase() === 'AVAILABLE' };
    },
    async vpc(region, id) {
      const found = inRegion(data.vpcs, region, id);
      return found && { id, region: found.region, subnetIds: found.subnets ?? [] };
    },
  };
}

export const staticInventoryProvider: InventoryProvider = {
  name: 'static',
  async open(config, ctx) {
    const given = config.file;
    if (typeof given !== 'string' || given.length === 0)
      throw new ConfigError([{ path: 'inventory.file', message: 'the static inventory needs a file' }]);
    const file = resolve(ctx.baseDir, given);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new ConfigError([{ path: 'inventory.file', message: `cannot read ${file}` }]);
    }
    let data: unknown;
    try {
      data = parse(text);
    } catch (error) {
      throw new ConfigError([
        { path: file, message: `is not valid YAML or JSON: ${(error as Error).message}` },
      ]);
    }
    return staticInventory(parseInventory(data, file), `static inventory ${given}`);
  },
};
