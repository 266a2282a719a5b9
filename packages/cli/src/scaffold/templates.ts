import type { KindTemplate, PluginKind } from './kinds.js';

// Each template spells out definePlugin (meta, capabilities, register) rather than defineChecker
// and its kin, so the author of a new plugin sees the whole contract in the file they start from.
const meta = (name: string, kind: string, description: string) => `  meta: {
    name: '${name}',
    version: '0.1.0',
    kind: '${kind}',
    apiVersion: PLUGIN_API_VERSION,
    description: '${description}',
  },`;

const checker: KindTemplate = {
  about:
    'A precheck that reports Failed when the source allows fewer connections than the migration needs (option `minConnections`, default 20), with the remedy.',
  source: (name) => `import {
  Capability,
  CHECKER,
  type CheckContext,
  type Checker,
  type CheckResult,
  definePlugin,
  PLUGIN_API_VERSION,
} from '@pgshift/plugin-api';

interface Options {
  /** Connections the migration needs on the source. */
  minConnections: number;
}

/** The migration opens several sessions at once (copy workers, apply, checks). */
class MaxConnectionsChecker implements Checker {
  readonly id = '${name}.max-connections';
  readonly title = 'the source allows enough connections';

  constructor(private readonly options: Readonly<Options>) {}

  async run(ctx: CheckContext): Promise<CheckResult> {
    const needed = this.options.minConnections;
    try {
      const { rows } = await ctx.source.query<{ n: string }>("SELECT current_setting('max_connections') AS n");
      const allowed = Number(rows[0]?.n);
      if (allowed >= needed)
        return { id: this.id, title: this.title, status: 'pass', message: \`max_connections is \${allowed}\` };
      return {
        id: this.id,
        title: this.title,
        status: 'failed',
        message: \`max_connections is \${allowed}; the migration needs at least \${needed}\`,
        remedy: \`ALTER SYSTEM SET max_connections = \${needed}; -- then restart PostgreSQL\`,
      };
    } catch (error) {
      // Report, never throw: an unreachable server is a Failed item the user can act on.
      return {
        id: this.id,
        title: this.title,
        status: 'failed',
        message: \`could not read max_connections: \${(error as Error).message}\`,
        remedy: 'check that the source is reachable with the configured account',
      };
    }
  }
}

export default definePlugin<Options>({
${meta(name, 'checker', 'Precheck: the source allows enough connections.')}
  capabilities: [Capability.checker.report],
  configSchema: {
    type: 'object',
    properties: { minConnections: { type: 'integer', minimum: 1 } },
    additionalProperties: false,
  },
  defaultOptions: { minConnections: 20 },
  register(r) {
    // r.options: the defaults with the config's options over them, validated against configSchema, frozen.
    r.value(CHECKER, new MaxConnectionsChecker(r.options));
  },
});
`,
  test: () => `import { conformanceMajors, describeChecker } from '@pgshift/conformance';
import plugin from '../src/index.js';

// Arrangements: servers set up so the checker must pass, or must fail.
describeChecker(
  {
    plugin,
    arrange: {
      pass: async (s) => {
        const source = await s.server('source');
        return s.context({ source, target: source });
      },
      fail: async (s) => {
        const source = await s.server('few-connections', { settings: { max_connections: '10' } });
        return s.context({ source, target: source });
      },
    },
  },
  { majors: conformanceMajors([17]) },
);
`,
};

// The scaffolded policy repeats policy-pg10's answer on purpose: a scaffold stands alone, on
// plugin-api only, as the example an author starts from.
const versionPolicy: KindTemplate = {
  about:
    'A version policy for PostgreSQL 10 and later: full copy, and following through the built-in pgoutput plugin with a publication.',
  source: (name) => `import {
  Capability,
  definePlugin,
  PLUGIN_API_VERSION,
  VERSION_POLICY,
  type VersionCapabilities,
  type VersionPolicy,
} from '@pgshift/plugin-api';

/** PostgreSQL 10 and later have pgoutput built in; 15 accepts the option-list slot syntax. */
class Policy implements VersionPolicy {
  readonly name = '${name}';
  readonly covers = { min: 100000 };

  capabilities(serverVersionNum: number): VersionCapabilities {
    return {
      fullCopy: true,
      incremental: true,
      decoder: { outputPlugin: 'pgoutput', format: 'pgoutput', publication: true },
      slotSnapshotSyntax: serverVersionNum >= 150000 ? 'option-list' : 'keyword',
    };
  }
}

export default definePlugin({
${meta(name, 'version-policy', 'PostgreSQL 10 and later through pgoutput.')}
  capabilities: [Capability.versionPolicy.fullCopy, Capability.versionPolicy.incremental],
  register(r) {
    r.value(VERSION_POLICY, new Policy());
  },
});
`,
  test: () => `import { conformanceMajors, describeVersionPolicy } from '@pgshift/conformance';
import plugin from '../src/index.js';

describeVersionPolicy(plugin, { majors: conformanceMajors([17]) });
`,
};

const connector: KindTemplate = {
  about:
    "A connector that reaches a server at the host and port of its config block (access `NAME`). Put your own lookup (a service registry, a cloud API) in `open`, and release whatever it opens in the route's `close`.",
  source: (name) => `import { connect } from 'node:net';
import {
  Capability,
  CONNECTOR,
  type Connector,
  type ConnectorContext,
  definePlugin,
  PLUGIN_API_VERSION,
  portSchema,
  type Route,
  RouteError,
  type Secret,
  secretSchema,
  stringSchema,
} from '@pgshift/plugin-api';

/** A \`source\` or \`target\` block with \`access: ${name}\`, as the kernel validated it. */
interface Config {
  host: string;
  port: number;
  user: string;
  password: Secret;
  database?: string;
}

/** A route straight to host:port. A route that opens sockets or tunnels must close them in close(). */
function directRoute(config: Config, ctx: ConnectorContext): Route {
  return {
    description: \`${name} \${config.host}:\${config.port}\`,
    facts: { access: '${name}' },
    connection: (options = {}) => ({
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password.reveal(),
      database: options.database ?? config.database ?? 'postgres',
      ...(options.replication ? { replication: true } : {}),
      connectTimeoutMs: ctx.timeoutMs,
    }),
    close: async () => {},
  };
}

/** Fails with a RouteError (which names the route, never a secret) unless host:port answers in time. */
function probe(description: string, host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const socket = connect({ host, port });
    const failWith = (reason: string) => {
      clearTimeout(timer);
      socket.destroy();
      fail(new RouteError(description, reason, { remedy: 'check the host and port, and that the server listens' }));
    };
    const timer = setTimeout(() => failWith(\`no answer within \${timeoutMs} ms\`), timeoutMs);
    socket.once('error', (error: NodeJS.ErrnoException) => failWith(error.code ?? error.message));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      done();
    });
  });
}

const connector: Connector<Config> = {
  access: '${name}',
  async open(config, ctx) {
    const route = directRoute(config, ctx);
    // Reachable or a clear error now, rather than a failure later in the migration.
    await probe(route.description, config.host, config.port, ctx.timeoutMs);
    return route;
  },
};

export default definePlugin({
${meta(name, 'connector', 'Reaches a server at a host and port.')}
  capabilities: [Capability.connector.normal, Capability.connector.replication],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['host', 'port', 'user', 'password'],
    properties: {
      access: { const: '${name}' },
      host: stringSchema('Address of the server.'),
      port: { ...portSchema, description: 'PostgreSQL port.' },
      user: stringSchema('Account to connect as.'),
      password: secretSchema('Password of the account.'),
      database: stringSchema('Maintenance database.'),
    },
  },
  register(r) {
    r.value(CONNECTOR, connector);
  },
});
`,
  test: (name) => `import { conformanceMajors, describeConnector } from '@pgshift/conformance';
import plugin from '../src/index.js';

describeConnector(
  { plugin },
  {
    majors: conformanceMajors([17]),
    validConfig: ({ server }) => ({
      access: '${name}',
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      database: 'postgres',
    }),
    unreachableConfig: ({ server, closedPort }) => ({
      access: '${name}',
      host: server.host,
      port: closedPort,
      user: server.user,
      password: server.password,
    }),
  },
);
`,
};

const loader: KindTemplate = {
  about:
    "A loader built on pgshift's own (schema from the catalogs, parallel COPY under the snapshot) through `BUILT_IN_LOADER` and `extendLoader`, with a hook after the copy; replace phases with your own as you go, keeping the suite green.",
  source: (name) => `import {
  BUILT_IN_LOADER,
  Capability,
  definePlugin,
  extendLoader,
  LOADER,
  PLUGIN_API_VERSION,
} from '@pgshift/plugin-api';

// A loader plugin for pgshift. The conformance suite in test/ says whether it keeps the contract.
export default definePlugin({
${meta(name, 'loader', 'Schema and rows under one snapshot, built on the pgshift loader.')}
  capabilities: [Capability.loader.schema, Capability.loader.data],
  register(r) {
    r.factory(LOADER, (resolver) =>
      // pgshift's own loader, with the phases you change (each gets the base to delegate to).
      extendLoader(resolver.resolve(BUILT_IN_LOADER)(), {
        async copyData(ctx, base) {
          const summary = await base.copyData(ctx);
          ctx.logger.info('copied', { database: ctx.database.name, rows: summary.rows });
          return summary;
        },
      }),
    );
  },
});
`,
  test: () => `import { conformanceMajors, describeLoader } from '@pgshift/conformance';
import plugin from '../src/index.js';

describeLoader(plugin, { majors: conformanceMajors([17]) });
`,
};

const replicator: KindTemplate = {
  about:
    "A replicator built on pgshift's own (slot with exported snapshot, transactional apply with a durable position) through `BUILT_IN_REPLICATOR` and `extendReplicator`; add your own behaviour around it, keeping the suite green.",
  source: (name) => `import {
  BUILT_IN_REPLICATOR,
  Capability,
  definePlugin,
  extendReplicator,
  PLUGIN_API_VERSION,
  REPLICATOR,
} from '@pgshift/plugin-api';

/** Tuning handed to pgshift's own replicator (see its options in pgshift's config reference). */
interface Options {
  groupMaxMs?: number;
  statusIntervalMs?: number;
}

// A replicator plugin for pgshift. The conformance suite in test/ says whether it keeps the contract.
export default definePlugin<Options>({
${meta(name, 'replicator', 'Follows the source through logical decoding, built on the pgshift replicator.')}
  capabilities: [Capability.replicator.pgoutput, Capability.replicator.testDecoding, Capability.replicator.resume],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      groupMaxMs: { type: 'integer', minimum: 1, description: 'Milliseconds after which an applied group ends.' },
      statusIntervalMs: { type: 'integer', minimum: 1, description: 'Interval of standby status updates.' },
    },
  },
  defaultOptions: {},
  register(r) {
    r.factory(REPLICATOR, (resolver) =>
      extendReplicator(resolver.resolve(BUILT_IN_REPLICATOR)(r.options), {
        async prepare(ctx, base) {
          ctx.logger.info('preparing', { database: ctx.database.name });
          await base.prepare(ctx);
        },
      }),
    );
  },
});
`,
  test: () => `import { conformanceMajors, describeReplicator } from '@pgshift/conformance';
import plugin from '../src/index.js';

describeReplicator(
  { plugin, options: { groupMaxMs: 100, statusIntervalMs: 200 } },
  { majors: conformanceMajors([17]) },
);
`,
};

export const TEMPLATES: Record<PluginKind, KindTemplate> = {
  connector,
  checker,
  'version-policy': versionPolicy,
  loader,
  replicator,
};
