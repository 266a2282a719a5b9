import {
  type CloudInventory,
  INVENTORY,
  type InventoryProvider,
  instantiatePluginNow,
  isPgshiftError,
  Secret,
  silentLogger,
} from '@pgshift/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { tc3Headers } from '../src/tc3-sign.js';
import { type MockCloud, startMockCloud } from './mock-tencentcloud.js';

const SECRET_ID = 'AKIDtestPgshift0001';
const SECRET_KEY = 'sk-Very-Secret-7e1d93';
const ctx = { logger: silentLogger, baseDir: '/', timeoutMs: 5000 };

let cloud: MockCloud;
let inventory: CloudInventory;

function provider(): InventoryProvider {
  const found = instantiatePluginNow(plugin).own(INVENTORY)[0];
  if (!found) throw new Error('the plugin registered no INVENTORY');
  return found;
}

beforeAll(async () => {
  cloud = await startMockCloud({
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    instances: [
      {
        InstanceId: 'ins-run1',
        Region: 'ap-guangzhou',
        InstanceState: 'RUNNING',
        PrivateIpAddresses: ['10.0.1.5'],
        PublicIpAddresses: ['203.0.113.9'],
        VirtualPrivateCloud: { VpcId: 'vpc-a', SubnetId: 'subnet-a', AsVpcGateway: false },
      },
      {
        InstanceId: 'ins-stop1',
        Region: 'ap-guangzhou',
        InstanceState: 'STOPPED',
        PrivateIpAddresses: ['10.0.1.6'],
        PublicIpAddresses: null,
        VirtualPrivateCloud: { VpcId: '', SubnetId: '' },
      },
    ],
    dbInstances: [
      {
        DBInstanceId: 'postgres-abc',
        Region: 'ap-guangzhou',
        DBInstanceStatus: 'running',
        VpcId: 'vpc-a',
        SubnetId: 'subnet-a',
        DBInstanceNetInfo: [
          {
            Address: 'postgres-abc.internal',
            Ip: '10.0.2.7',
            Port: 5432,
            NetType: 'private',
            Status: 'opened',
          },
          { Address: 'pg-abc.example.com', Ip: '', Port: 15432, NetType: 'public', Status: 'opened' },
          { Address: '', Ip: '10.0.9.9', Port: 5432, NetType: 'inner', Status: 'opened' },
        ],
      },
    ],
    dcGateways: [
      { DirectConnectGatewayId: 'dcg-1', Region: 'ap-shanghai', VpcId: 'vpc-dc', NetworkType: 'VPC' },
    ],
    vpnGateways: [
      { VpnGatewayId: 'vpngw-ok', Region: 'ap-guangzhou', VpcId: 'vpc-a', State: 'AVAILABLE' },
      { VpnGatewayId: 'vpngw-pending', Region: 'ap-guangzhou', VpcId: 'vpc-a', State: 'PENDING' },
    ],
    vpcs: [{ VpcId: 'vpc-a', Region: 'ap-guangzhou', VpcName: 'a' }],
  });
  inventory = await provider().open(
    {
      secretId: new Secret(SECRET_ID),
      secretKey: new Secret(SECRET_KEY),
      endpoint: cloud.url,
      region: 'ap-shanghai',
    },
    ctx,
  );
});

afterAll(async () => {
  await cloud?.close();
});

describe('tencentcloud inventory', () => {
  it('declares itself an inventory plugin named tencentcloud', () => {
    expect(plugin.meta).toMatchObject({ name: 'tencentcloud', kind: 'inventory' });
    expect(provider().name).toBe('tencentcloud');
  });

  it('reads a CVM instance from DescribeInstances, signed for the cvm service and region', async () => {
    expect(await inventory.instance('ap-guangzhou', 'ins-run1')).toEqual({
      id: 'ins-run1',
      region: 'ap-guangzhou',
      state: 'RUNNING',
      running: true,
      privateAddresses: ['10.0.1.5'],
      publicAddresses: ['203.0.113.9'],
      vpcId: 'vpc-a',
      subnetId: 'subnet-a',
    });
    expect(cloud.calls.at(-1)).toEqual({
      action: 'DescribeInstances',
      region: 'ap-guangzhou',
      body: { InstanceIds: ['ins-run1'] },
    });
    const stopped = await inventory.instance('ap-guangzhou', 'ins-stop1');
    expect(stopped).toMatchObject({ running: false, state: 'STOPPED', publicAddresses: [] });
    expect(stopped?.vpcId).toBeUndefined();
    expect(await inventory.instance('ap-beijing', 'ins-run1')).toBeUndefined();
    expect(await inventory.instance('ap-guangzhou', 'not-an-id')).toBeUndefined();
  });

  it('reads a managed PostgreSQL instance and its open endpoints', async () => {
    expect(await inventory.dbInstance('ap-guangzhou', 'postgres-abc')).toEqual({
      id: 'postgres-abc',
      region: 'ap-guangzhou',
      status: 'running',
      running: true,
      endpoints: [
        { kind: 'private', host: '10.0.2.7', port: 5432, vpcId: 'vpc-a', subnetId: 'subnet-a' },
        { kind: 'public', host: 'pg-abc.example.com', port: 15432 },
      ],
    });
    expect(cloud.calls.at(-1)?.body).toEqual({
      Filters: [{ Name: 'db-instance-id', Values: ['postgres-abc'] }],
    });
    expect(await inventory.dbInstance('ap-guangzhou', 'postgres-none')).toBeUndefined();
  });

  it('reads gateways and VPCs; a direct-connect lookup without region uses the inventory region', async () => {
    expect(await inventory.directConnectGateway(undefined, 'dcg-1')).toEqual({
      id: 'dcg-1',
      region: 'ap-shanghai',
      vpcId: 'vpc-dc',
      addressMappings: [],
    });
    expect(cloud.calls.at(-1)).toMatchObject({
      action: 'DescribeDirectConnectGateways',
      region: 'ap-shanghai',
    });
    expect(await inventory.vpnGateway('ap-guangzhou', 'vpngw-ok')).toMatchObject({
      available: true,
      vpcId: 'vpc-a',
    });
    expect(await inventory.vpnGateway('ap-guangzhou', 'vpngw-pending')).toMatchObject({
      available: false,
      state: 'PENDING',
    });
    expect(await inventory.vpnGateway('ap-guangzhou', 'vpngw-none')).toBeUndefined();
    expect(await inventory.vpc('ap-guangzhou', 'vpc-a')).toMatchObject({ id: 'vpc-a' });
    expect(await inventory.vpc('ap-guangzhou', 'vpc-none')).toBeUndefined();
  });

  it('fails with a coded error and no secret when the signature is refused', async () => {
    const wrong = await provider().open(
      { secretId: new Secret(SECRET_ID), secretKey: new Secret('wrong-key-0000'), endpoint: cloud.url },
      ctx,
    );
    const error = await wrong.instance('ap-guangzhou', 'ins-run1').catch((e: unknown) => e);
    expect(isPgshiftError(error)).toBe(true);
    const text = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)}`;
    expect(text).toContain('AuthFailure.SignatureFailure');
    expect(text).not.toContain(SECRET_KEY);
    expect(text).not.toContain(SECRET_ID);
  });

  it('sends the documented headers', () => {
    const headers = tc3Headers({
      secretId: 'id',
      secretKey: 'key',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      action: 'DescribeInstances',
      version: '2017-03-12',
      region: 'ap-guangzhou',
      timestamp: 1551113065,
      payload: '{}',
    });
    expect(headers).toMatchObject({
      'X-TC-Action': 'DescribeInstances',
      'X-TC-Version': '2017-03-12',
      'X-TC-Timestamp': '1551113065',
      'X-TC-Region': 'ap-guangzhou',
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(headers.Authorization).toMatch(
      /^TC3-HMAC-SHA256 Credential=id\/2019-02-25\/cvm\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
    );
  });

  it('refuses credentials that are not given', async () => {
    await expect(provider().open({ endpoint: cloud.url }, ctx)).rejects.toThrow(/inventory.secretId/);
  });
});
