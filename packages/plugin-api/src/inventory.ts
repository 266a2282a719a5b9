import type { Logger } from './logger.js';
import { contractToken } from './tokens.js';

/** A cloud virtual machine (Tencent Cloud CVM) as the inventory sees it. */
export interface InventoryInstance {
  id: string;
  region: string;
  /** The provider's state word, e.g. RUNNING, STOPPED. */
  state: string;
  running: boolean;
  privateAddresses: readonly string[];
  publicAddresses: readonly string[];
  /** Absent for an instance in the basic (classic) network. */
  vpcId?: string;
  subnetId?: string;
}

/** One way into a managed database instance. */
export interface InventoryEndpoint {
  kind: 'private' | 'public';
  host: string;
  port: number;
  vpcId?: string;
  subnetId?: string;
}

/** A managed PostgreSQL instance (TencentDB for PostgreSQL). */
export interface InventoryDbInstance {
  id: string;
  region: string;
  /** The provider's status word, e.g. running, isolated. */
  status: string;
  running: boolean;
  /** Only endpoints that are open for connections. */
  endpoints: readonly InventoryEndpoint[];
}

/** An address in the user's data centre and the address it is reached by from the cloud. */
export interface AddressMapping {
  from: string;
  to: string;
}

export interface InventoryDirectConnectGateway {
  id: string;
  region?: string;
  vpcId?: string;
  addressMappings: readonly AddressMapping[];
}

export interface InventoryVpnGateway {
  id: string;
  region: string;
  vpcId?: string;
  /** The provider's state word, e.g. AVAILABLE, PENDING. */
  state: string;
  available: boolean;
}

export interface InventoryVpc {
  id: string;
  region: string;
  subnetIds: readonly string[];
}

/**
 * Read-only view of a cloud account's resources, used by connectors to resolve ids into
 * addresses and to check that what the config names exists and is usable. Each lookup answers
 * `undefined` when the resource does not exist; other failures (credentials, network) throw.
 */
export interface CloudInventory {
  /** What the inventory reads from (`file ./inventory.yaml`, `tencentcloud api.example`); no secrets. */
  readonly description: string;
  instance(region: string, id: string): Promise<InventoryInstance | undefined>;
  dbInstance(region: string, id: string): Promise<InventoryDbInstance | undefined>;
  /** `region` may be unknown (the direct-connect block has none); the inventory may need its own default. */
  directConnectGateway(
    region: string | undefined,
    id: string,
  ): Promise<InventoryDirectConnectGateway | undefined>;
  vpnGateway(region: string, id: string): Promise<InventoryVpnGateway | undefined>;
  vpc(region: string, id: string): Promise<InventoryVpc | undefined>;
}

export interface InventoryContext {
  logger: Logger;
  /** Directory of the config file, for resolving relative paths. */
  baseDir: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * What an inventory plugin registers under `INVENTORY`. A connector's `inventory` block
 * (`{ use: 'static', file: ... }`) is handed, without `use`, to the provider named by `use`.
 */
export interface InventoryProvider {
  /** The `use` value that selects this provider; equals the plugin's meta.name. */
  readonly name: string;
  open(config: Record<string, unknown>, ctx: InventoryContext): Promise<CloudInventory>;
}

/** The inventory providers loaded in this run, by name. Provided by the kernel to every plugin. */
export interface InventoryLookup {
  get(name: string): InventoryProvider | undefined;
  names(): readonly string[];
}

/** Registered by inventory plugins. */
export const INVENTORY = contractToken<InventoryProvider>('pgshift.inventory');
/** Provided by the kernel: every loaded inventory plugin's provider, by name. */
export const INVENTORIES = contractToken<InventoryLookup>('pgshift.inventories');
