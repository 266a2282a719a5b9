import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Capability,
  type Connector,
  type ConnectorContext,
  type JsonSchema,
  type Route,
  silentLogger,
} from '@pgshift/plugin-api';
import { freePort, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { startTestBastion, type TestBastion } from '@pgshift/ssh-tunnel';
import { instantiateConnector } from './instantiate.js';
import { compileStrict, sealSecrets } from './schema-check.js';
import type { ConnectorEnv, ConnectorFactory, ConnectorSubject, ConnectorSuiteOptions } from './types.js';

/** Distinctive texts the suite looks for in everything a connector shows. */
export const SERVER_PASSWORD = `conformance-Pw-${Math.random().toString(36).slice(2, 10)}`;
export const WRONG_PASSWORD = `wrong-Pw-${Math.random().toString(36).slice(2, 10)}`;
export const APP = 'pgshift-connector-conformance';

/** One connector under test, and (for route tests) the server and jump host it is pointed at. */
export class ConnectorHarness {
  readonly options: ConnectorSuiteOptions;
  subject!: ConnectorSubject;
  connector!: Connector;
  server?: SandboxServer;
  bastion?: TestBastion;
  env: ConnectorEnv;

  constructor(options: ConnectorSuiteOptions) {
    this.options = options;
    // Placeholder env for the schema tests; start() replaces it with a real server's.
    this.env = {
      server: {
        host: '127.0.0.1',
        port: 5432,
        user: 'postgres',
        password: SERVER_PASSWORD,
        database: 'postgres',
      },
      closedPort: 1,
      dir: mkdtempSync(join(tmpdir(), 'pgshift-connector-')),
    };
  }

  async load(factory: ConnectorFactory): Promise<this> {
    this.subject = typeof factory === 'function' ? await factory() : factory;
    this.connector = await instantiateConnector(this.subject.plugin, this.subject.inventories);
    return this;
  }

  get capabilities(): readonly string[] {
    return this.subject.plugin.capabilities;
  }

  declares(capability: string): boolean {
    return this.capabilities.includes(capability);
  }

  get schema(): JsonSchema {
    return this.subject.plugin.configSchema ?? {};
  }

  get timeoutMs(): number {
    return this.options.timeoutMs ?? 3000;
  }

  /** Starts the server (with a password, so it is really used) and, for tunnel connectors, a jump host. */
  async start(major: number): Promise<void> {
    const [server, bastion] = await Promise.all([
      startPostgres({ major, password: SERVER_PASSWORD }),
      this.declares(Capability.connector.sshTunnel) ? startTestBastion() : Promise.resolve(undefined),
    ]);
    this.server = server;
    this.bastion = bastion;
    this.env = {
      ...this.env,
      server: { ...server.connection(), password: SERVER_PASSWORD },
      closedPort: await freePort(),
    };
  }

  async stop(): Promise<void> {
    await this.bastion?.close();
    await this.server?.stop();
  }

  /** Validates against the plugin's schema, then seals secrets and opens, as the kernel does. */
  async open(config: Record<string, unknown>): Promise<Route> {
    const validate = compileStrict(this.schema);
    if (!validate(config))
      throw new Error(`the config given to the suite is not valid: ${JSON.stringify(validate.errors)}`);
    const ctx: ConnectorContext = {
      role: 'source',
      logger: silentLogger,
      baseDir: this.env.dir,
      timeoutMs: this.timeoutMs,
    };
    return this.connector.open(sealSecrets(config, this.schema), ctx);
  }

  validConfig(): Record<string, unknown> {
    return this.options.validConfig(this.env);
  }

  unreachableConfig(): Record<string, unknown> {
    return this.options.unreachableConfig(this.env);
  }

  /** The valid config with a `via.ssh` block when the connector declares tunnels, for schema tests. */
  schemaConfig(): Record<string, unknown> {
    const config = this.validConfig();
    if (this.declares(Capability.connector.sshTunnel) && config.via === undefined)
      config.via = {
        ssh: {
          host: 'bastion.example',
          port: 22,
          user: 'jump',
          privateKey: 'key',
          hostKey: `SHA256:${'a'.repeat(43)}`,
        },
      };
    return config;
  }

  sshVia(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const b = this.bastion;
    if (!b) throw new Error('no jump host: the connector does not declare connector.ssh-tunnel');
    return {
      ssh: {
        host: b.host,
        port: b.port,
        user: b.user,
        privateKey: b.clientPrivateKey,
        hostKey: b.hostKeyFingerprint,
        ...extra,
      },
    };
  }
}
