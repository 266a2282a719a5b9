import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeConnector, instantiateConnector } from '@pgshift/conformance';
import staticInventory from '@pgshift/inventory-static';
import {
  type Connector,
  type ConnectorContext,
  ResourceError,
  Secret,
  silentLogger,
} from '@pgshift/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

function inventory(dir: string): string {
  writeFileSync(
    join(dir, 'inventory.yaml'),
    `vpcs:
  - { id: vpc-1, region: ap-guangzhou, subnets: [subnet-1] }
vpnGateways:
  - { id: vpngw-ok, region: ap-guangzhou, vpcId: vpc-1, state: AVAILABLE }
  - { id: vpngw-pending, region: ap-guangzhou, vpcId: vpc-1, state: PENDING }
  - { id: vpngw-other, region: ap-guangzhou, vpcId: vpc-9, state: AVAILABLE }
`,
  );
  return 'inventory.yaml';
}

const base = (server: { host: string; user: string; password: string }, dir: string) => ({
  access: 'vpn',
  region: 'ap-guangzhou',
  vpnType: 'cloud',
  vpnGatewayId: 'vpngw-ok',
  vpcId: 'vpc-1',
  host: server.host,
  user: server.user,
  password: server.password,
  inventory: { use: 'static', file: inventory(dir) },
});

describeConnector(
  { plugin, inventories: [staticInventory] },
  {
    validConfig: ({ server, dir }) => ({ ...base(server, dir), port: server.port }),
    unreachableConfig: ({ server, dir, closedPort }) => ({ ...base(server, dir), port: closedPort }),
  },
);

describe('vpn resolution', () => {
  let connector: Connector;
  let listener: Server;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-vpn-'));
  const ctx: ConnectorContext = { role: 'source', logger: silentLogger, baseDir: dir, timeoutMs: 2000 };
  const config = (changes: Record<string, unknown>) => ({
    ...base({ host: '127.0.0.1', user: 'postgres', password: 'x' }, dir),
    port,
    password: new Secret('x'),
    ...changes,
  });
  const failure = (changes: Record<string, unknown>) =>
    connector.open(config(changes), ctx).then(
      () => {
        throw new Error('resolution succeeded');
      },
      (e: unknown) => e as Error,
    );

  beforeAll(async () => {
    connector = await instantiateConnector(plugin, [staticInventory]);
    listener = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => listener.listen(0, '127.0.0.1', () => done()));
    port = (listener.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((done) => listener.close(() => done())));

  it('checks a cloud VPN gateway exists, is available and is in the VPC', async () => {
    const missing = await failure({ vpnGatewayId: 'vpngw-404' });
    expect(missing).toBeInstanceOf(ResourceError);
    expect(missing.message).toMatch(/VPN gateway vpngw-404 was not found in ap-guangzhou/);
    expect((await failure({ vpnGatewayId: 'vpngw-pending' })).message).toBe(
      'VPN gateway vpngw-pending is PENDING in ap-guangzhou, not AVAILABLE',
    );
    expect((await failure({ vpnGatewayId: 'vpngw-other' })).message).toBe(
      'VPN gateway vpngw-other is in VPC vpc-9, not in VPC vpc-1',
    );
    expect((await failure({ region: 'ap-beijing' })).message).toMatch(/not found in ap-beijing/);
  });

  it('checks the VPC of a self-built VPN', async () => {
    const route = await connector.open(config({ vpnType: 'self-built', vpnGatewayId: undefined }), ctx);
    expect(route.facts).toMatchObject({
      access: 'vpn',
      region: 'ap-guangzhou',
      vpnType: 'self-built',
      vpcId: 'vpc-1',
    });
    await route.close();
    expect((await failure({ vpnType: 'self-built', vpcId: 'vpc-404' })).message).toMatch(
      /VPC vpc-404 was not found in ap-guangzhou/,
    );
  });

  it('exposes the region for the same-region precheck', async () => {
    const route = await connector.open(config({}), ctx);
    expect(route.facts.region).toBe('ap-guangzhou');
    expect(route.description).toBe(`vpn (VPN gateway vpngw-ok, vpc-1, ap-guangzhou) to 127.0.0.1:${port}`);
    await route.close();
  });
});
