import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  INVENTORY,
  type InventoryProvider,
  instantiatePluginNow,
  silentLogger,
} from '@pgshift/plugin-api';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pgshift-static-inv-'));
const ctx = { logger: silentLogger, baseDir: dir, timeoutMs: 1000 };
let provider: InventoryProvider;

beforeAll(() => {
  const registered = instantiatePluginNow(plugin).own(INVENTORY)[0];
  if (!registered) throw new Error('the plugin registered no INVENTORY');
  provider = registered;
  writeFileSync(
    join(dir, 'inventory.yaml'),
    `
instances:
  - { id: ins-1, region: ap-guangzhou, state: RUNNING, privateAddresses: [10.0.0.5], vpcId: vpc-1, subnetId: subnet-1 }
  - { id: ins-2, region: ap-guangzhou, state: STOPPED, privateAddresses: [10.0.0.6] }
databases:
  - id: postgres-1
    region: ap-guangzhou
    status: running
    endpoints:
      - { type: private, host: 10.0.0.9, port: 5432, vpcId: vpc-1 }
      - { type: public, host: pg.example.com, port: 15432 }
vpcs:
  - { id: vpc-1, region: ap-guangzhou, subnets: [subnet-1] }
directConnectGateways:
  - id: dcg-1
    vpcId: vpc-1
    addressMappings: [{ from: 192.168.1.10, to: 10.200.0.10 }]
vpnGateways:
  - { id: vpngw-1, region: ap-guangzhou, vpcId: vpc-1, state: AVAILABLE }
  - { id: vpngw-2, region: ap-guangzhou, vpcId: vpc-1, state: PENDING }
`,
  );
});

describe('static inventory', () => {
  it('declares itself an inventory plugin named static', () => {
    expect(plugin.meta).toMatchObject({ name: 'static', kind: 'inventory' });
    expect(provider.name).toBe('static');
  });

  it('answers every kind of lookup from the file, per region', async () => {
    const inv = await provider.open({ file: 'inventory.yaml' }, ctx);
    expect(inv.description).toBe('static inventory inventory.yaml');
    expect(await inv.instance('ap-guangzhou', 'ins-1')).toEqual({
      id: 'ins-1',
      region: 'ap-guangzhou',
      state: 'RUNNING',
      running: true,
      privateAddresses: ['10.0.0.5'],
      publicAddresses: [],
      vpcId: 'vpc-1',
      subnetId: 'subnet-1',
    });
    expect(await inv.instance('ap-guangzhou', 'ins-2')).toMatchObject({ running: false, state: 'STOPPED' });
    expect(await inv.instance('ap-beijing', 'ins-1')).toBeUndefined();
    expect(await inv.dbInstance('ap-guangzhou', 'postgres-1')).toMatchObject({
      running: true,
      endpoints: [
        { kind: 'private', host: '10.0.0.9', port: 5432, vpcId: 'vpc-1' },
        { kind: 'public', host: 'pg.example.com', port: 15432 },
      ],
    });
    expect(await inv.directConnectGateway(undefined, 'dcg-1')).toMatchObject({
      vpcId: 'vpc-1',
      addressMappings: [{ from: '192.168.1.10', to: '10.200.0.10' }],
    });
    expect(await inv.vpnGateway('ap-guangzhou', 'vpngw-1')).toMatchObject({ available: true });
    expect(await inv.vpnGateway('ap-guangzhou', 'vpngw-2')).toMatchObject({
      available: false,
      state: 'PENDING',
    });
    expect(await inv.vpc('ap-guangzhou', 'vpc-1')).toEqual({
      id: 'vpc-1',
      region: 'ap-guangzhou',
      subnetIds: ['subnet-1'],
    });
    expect(await inv.vpc('ap-guangzhou', 'vpc-2')).toBeUndefined();
  });

  it('reads JSON too', async () => {
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ vpcs: [{ id: 'vpc-9', region: 'r' }] }));
    const inv = await provider.open({ file: 'inv.json' }, ctx);
    expect(await inv.vpc('r', 'vpc-9')).toMatchObject({ id: 'vpc-9' });
  });

  it('reports every problem of a malformed file with its path', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'instances:\n  - { id: ins-1, state: 7 }\ndatabases:\n  - { id: p, region: r, status: running, endpoints: [{ type: lan, host: h, port: "5432" }] }\nmachines: []\n',
    );
    const error = (await provider.open({ file: 'bad.yaml' }, ctx).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    const paths = error.problems.map((p) => p.path.replace(/^.*: /, ''));
    expect(paths).toEqual(
      expect.arrayContaining([
        'machines',
        'instances[0].region',
        'instances[0].state',
        'databases[0].endpoints[0].port',
        'databases[0].endpoints[0].type',
      ]),
    );
  });

  it('names a file it cannot read', async () => {
    await expect(provider.open({ file: 'missing.yaml' }, ctx)).rejects.toThrow(/cannot read .*missing\.yaml/);
  });
});
