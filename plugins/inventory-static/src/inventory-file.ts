import { ConfigError, type ConfigProblem } from '@pgshift/plugin-api';

/** The inventory file, as written by the user (see docs/access-modes.md). */
export interface InventoryFile {
  instances: FileInstance[];
  databases: FileDatabase[];
  vpcs: FileVpc[];
  directConnectGateways: FileDcGateway[];
  vpnGateways: FileVpnGateway[];
}

export interface FileInstance {
  id: string;
  region: string;
  state: string;
  privateAddresses: string[];
  publicAddresses: string[];
  vpcId?: string;
  subnetId?: string;
}
export interface FileEndpoint {
  type: 'private' | 'public';
  host: string;
  port: number;
  vpcId?: string;
  subnetId?: string;
}
export interface FileDatabase {
  id: string;
  region: string;
  status: string;
  endpoints: FileEndpoint[];
}
export interface FileVpc {
  id: string;
  region: string;
  subnets: string[];
}
export interface FileDcGateway {
  id: string;
  region?: string;
  vpcId?: string;
  addressMappings: { from: string; to: string }[];
}
export interface FileVpnGateway {
  id: string;
  region: string;
  vpcId?: string;
  state: string;
}

type Kind = 'string' | 'number' | 'strings';
type Shape = Record<string, [Kind, 'required' | 'optional']>;

const SHAPES: Record<keyof InventoryFile, Shape> = {
  instances: {
    id: ['string', 'required'],
    region: ['string', 'required'],
    state: ['string', 'required'],
    privateAddresses: ['strings', 'optional'],
    publicAddresses: ['strings', 'optional'],
    vpcId: ['string', 'optional'],
    subnetId: ['string', 'optional'],
  },
  databases: { id: ['string', 'required'], region: ['string', 'required'], status: ['string', 'required'] },
  vpcs: { id: ['string', 'required'], region: ['string', 'required'], subnets: ['strings', 'optional'] },
  directConnectGateways: {
    id: ['string', 'required'],
    region: ['string', 'optional'],
    vpcId: ['string', 'optional'],
  },
  vpnGateways: {
    id: ['string', 'required'],
    region: ['string', 'required'],
    vpcId: ['string', 'optional'],
    state: ['string', 'required'],
  },
};

const ENDPOINT: Shape = {
  type: ['string', 'required'],
  host: ['string', 'required'],
  port: ['number', 'required'],
  vpcId: ['string', 'optional'],
  subnetId: ['string', 'optional'],
};
const MAPPING: Shape = { from: ['string', 'required'], to: ['string', 'required'] };

function check(value: unknown, shape: Shape, path: string, problems: ConfigProblem[]): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ path, message: 'must be a mapping' });
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const [key, [kind, need]] of Object.entries(shape)) {
    const field = record[key];
    if (field === undefined) {
      if (need === 'required') problems.push({ path: `${path}.${key}`, message: 'is missing' });
      continue;
    }
    const ok =
      kind === 'strings'
        ? Array.isArray(field) && field.every((f) => typeof f === 'string')
        : kind === 'number'
          ? Number.isInteger(field)
          : typeof field === 'string';
    if (!ok)
      problems.push({
        path: `${path}.${key}`,
        message: `must be ${kind === 'strings' ? 'a list of strings' : `a ${kind}`}`,
      });
  }
  return true;
}

function list(value: unknown, path: string, problems: ConfigProblem[]): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be a list' });
    return [];
  }
  return value;
}

/** Checks a parsed inventory file; every problem is reported at once, each with its path. */
export function parseInventory(data: unknown, file: string): InventoryFile {
  const problems: ConfigProblem[] = [];
  const root = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (typeof data !== 'object' || data === null) problems.push({ path: file, message: 'must be a mapping' });
  for (const key of Object.keys(root))
    if (!(key in SHAPES))
      problems.push({
        path: `${file}: ${key}`,
        message: `is not an inventory section (${Object.keys(SHAPES).join(', ')})`,
      });
  for (const section of Object.keys(SHAPES) as (keyof InventoryFile)[]) {
    list(root[section], `${file}: ${section}`, problems).forEach((item, i) => {
      const path = `${file}: ${section}[${i}]`;
      if (!check(item, SHAPES[section], path, problems)) return;
      const record = item as Record<string, unknown>;
      if (section === 'databases')
        list(record.endpoints, `${path}.endpoints`, problems).forEach((e, j) => {
          check(e, ENDPOINT, `${path}.endpoints[${j}]`, problems);
          const type = (e as { type?: unknown } | null)?.type;
          if (type !== undefined && type !== 'private' && type !== 'public')
            problems.push({ path: `${path}.endpoints[${j}].type`, message: 'must be private or public' });
        });
      if (section === 'directConnectGateways')
        list(record.addressMappings, `${path}.addressMappings`, problems).forEach((m, j) => {
          check(m, MAPPING, `${path}.addressMappings[${j}]`, problems);
        });
    });
  }
  if (problems.length > 0) throw new ConfigError(problems, { remedy: 'fix the inventory file' });
  const arr = <T>(key: keyof InventoryFile) => (root[key] ?? []) as T[];
  return {
    instances: arr<FileInstance>('instances'),
    databases: arr<FileDatabase>('databases').map((d) => ({ ...d, endpoints: d.endpoints ?? [] })),
    vpcs: arr<FileVpc>('vpcs'),
    directConnectGateways: arr<FileDcGateway>('directConnectGateways').map((g) => ({
      ...g,
      addressMappings: g.addressMappings ?? [],
    })),
    vpnGateways: arr<FileVpnGateway>('vpnGateways'),
  };
}
