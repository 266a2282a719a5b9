import {
  type CloudInventory,
  ConfigError,
  type InventoryEndpoint,
  type InventoryProvider,
  isSecret,
} from '@pgshift/plugin-api';
import { type ApiClientOptions, callApi, TencentCloudApiError } from './api-client.js';

export const DEFAULT_ENDPOINT = 'https://{service}.tencentcloudapi.com';
const VERSION = '2017-03-12';

type Json = Record<string, unknown>;
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : [];
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/** A lookup answered "does not exist" by an error code (InvalidInstanceId.NotFound and the like). */
async function orMissing<T>(lookup: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (error) {
    if (error instanceof TencentCloudApiError && /NotFound|Malformed/.test(error.apiCode)) return undefined;
    throw error;
  }
}

export function tencentCloudInventory(options: ApiClientOptions, defaultRegion?: string): CloudInventory {
  const call = (service: string, action: string, region: string | undefined, body: Json) =>
    callApi(options, service, action, VERSION, region, body);
  return {
    description: `tencentcloud ${new URL(options.endpoint.replaceAll('{service}', 'api')).host}`,

    instance: (region, id) =>
      orMissing(async () => {
        const r = await call('cvm', 'DescribeInstances', region, { InstanceIds: [id] });
        const found = list(r.InstanceSet).find((i) => i.InstanceId === id);
        if (!found) return undefined;
        const vpc = (found.VirtualPrivateCloud ?? {}) as Json;
        const state = str(found.InstanceState) ?? 'UNKNOWN';
        const vpcId = str(vpc.VpcId);
        const subnetId = str(vpc.SubnetId);
        return {
          id,
          region,
          state,
          running: state === 'RUNNING',
          privateAddresses: strings(found.PrivateIpAddresses),
          publicAddresses: strings(found.PublicIpAddresses),
          ...(vpcId ? { vpcId } : {}),
          ...(subnetId ? { subnetId } : {}),
        };
      }),

    dbInstance: (region, id) =>
      orMissing(async () => {
        const r = await call('postgres', 'DescribeDBInstances', region, {
          Filters: [{ Name: 'db-instance-id', Values: [id] }],
        });
        const found = list(r.DBInstanceSet).find((i) => i.DBInstanceId === id);
        if (!found) return undefined;
        const status = str(found.DBInstanceStatus) ?? 'unknown';
        const endpoints: InventoryEndpoint[] = [];
        for (const net of list(found.DBInstanceNetInfo)) {
          const kind =
            net.NetType === 'public' ? 'public' : net.NetType === 'private' ? 'private' : undefined;
          if (!kind || net.Status !== 'opened' || typeof net.Port !== 'number') continue;
          // Private: the VIP; public: the domain name the console shows.
          const host =
            kind === 'private' ? (str(net.Ip) ?? str(net.Address)) : (str(net.Address) ?? str(net.Ip));
          if (!host) continue;
          const vpcId = str(net.VpcId) ?? str(found.VpcId);
          const subnetId = str(net.SubnetId) ?? str(found.SubnetId);
          endpoints.push({
            kind,
            host,
            port: net.Port,
            ...(kind === 'private' && vpcId ? { vpcId } : {}),
            ...(kind === 'private' && subnetId ? { subnetId } : {}),
          });
        }
        return { id, region, status, running: status === 'running', endpoints };
      }),

    directConnectGateway: (region, id) =>
      orMissing(async () => {
        const where = region ?? defaultRegion;
        if (!where)
          throw new ConfigError([
            {
              path: 'inventory.region',
              message: 'the tencentcloud inventory needs a region to find a direct-connect gateway',
            },
          ]);
        const r = await call('vpc', 'DescribeDirectConnectGateways', where, {
          DirectConnectGatewayIds: [id],
        });
        const found = list(r.DirectConnectGatewaySet).find((g) => g.DirectConnectGatewayId === id);
        if (!found) return undefined;
        const vpcId = str(found.VpcId);
        // IP translation rules are not read: the configured host is used as the address.
        return { id, region: where, ...(vpcId ? { vpcId } : {}), addressMappings: [] };
      }),

    vpnGateway: (region, id) =>
      orMissing(async () => {
        const r = await call('vpc', 'DescribeVpnGateways', region, { VpnGatewayIds: [id] });
        const found = list(r.VpnGatewaySet).find((g) => g.VpnGatewayId === id);
        if (!found) return undefined;
        const state = str(found.State) ?? 'UNKNOWN';
        const vpcId = str(found.VpcId);
        return { id, region, state, available: state === 'AVAILABLE', ...(vpcId ? { vpcId } : {}) };
      }),

    vpc: (region, id) =>
      orMissing(async () => {
        const r = await call('vpc', 'DescribeVpcs', region, { VpcIds: [id] });
        const found = list(r.VpcSet).find((v) => v.VpcId === id);
        return found && { id, region, subnetIds: [] };
      }),
  };
}

function secretText(value: unknown, field: string): string {
  if (isSecret(value)) return value.reveal();
  if (typeof value === 'string' && value.length > 0) return value;
  throw new ConfigError([
    { path: `inventory.${field}`, message: 'is required, given as { env: NAME } (or { file: PATH })' },
  ]);
}

export const tencentCloudInventoryProvider: InventoryProvider = {
  name: 'tencentcloud',
  async open(config, ctx) {
    const token = config.token === undefined ? undefined : secretText(config.token, 'token');
    const endpoint = typeof config.endpoint === 'string' ? config.endpoint : DEFAULT_ENDPOINT;
    try {
      new URL(endpoint.replaceAll('{service}', 'api'));
    } catch {
      throw new ConfigError([{ path: 'inventory.endpoint', message: `is not a URL: ${endpoint}` }]);
    }
    return tencentCloudInventory(
      {
        credentials: {
          secretId: secretText(config.secretId, 'secretId'),
          secretKey: secretText(config.secretKey, 'secretKey'),
          ...(token ? { token } : {}),
        },
        endpoint,
        timeoutMs: ctx.timeoutMs,
      },
      typeof config.region === 'string' ? config.region : undefined,
    );
  },
};
