import type { KindTemplate, PluginKind } from './kinds.js';

const header = (
  kind: string,
) => `import { Capability, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
// A ${kind} plugin for pgshift. The conformance suite in test/ says whether it keeps the contract.
`;

const meta = (name: string, kind: string, description: string) => `  meta: {
    name: '${name}',
    version: '0.1.0',
    kind: '${kind}',
    apiVersion: PLUGIN_API_VERSION,
    description: '${description}',
  },`;

const checker: KindTemplate = {
  dependencies: [],
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

/** The migration opens several sessions at once (copy workers, apply, checks). */
class MaxConnectionsChecker implements Checker {
  readonly id = '${name}.max-connections';
  readonly title = 'the source allows enough connections';

  async run(ctx: CheckContext): Promise<CheckResult> {
    const needed = Number(ctx.options.minConnections ?? 20);
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

export default definePlugin({
${meta(name, 'checker', 'Precheck: the source allows enough connections.')}
  capabilities: [Capability.checker.report],
  configSchema: {
    type: 'object',
    properties: { minConnections: { type: 'integer', minimum: 1 } },
    additionalProperties: false,
  },
  defaultOptions: { minConnections: 20 },
  register(r) {
    r.value(CHECKER, new MaxConnectionsChecker());
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

const versionPolicy: KindTemplate = {
  dependencies: [],
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
  dependencies: ['@pgshift/ssh-tunnel'],
  about:
    'A connector that reaches a server at the host and port of its config block (access `NAME`), built on the route helpers of @pgshift/ssh-tunnel; add your own lookup (a service registry, a cloud API) in `open`.',
  source: (
    name,
  ) => `import { Capability, CONNECTOR, type Connector, definePlugin, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { openRoute, portSchema, type SecretValue, secretSchema, stringSchema } from '@pgshift/ssh-tunnel';

interface Config {
  host: string;
  port: number;
  user: string;
  password: SecretValue;
  database?: string;
}

const connector: Connector<Config> = {
  access: '${name}',
  open(config, ctx) {
    return openRoute(
      {
        description: \`${name} \${config.host}:\${config.port}\`,
        host: config.host,
        port: config.port,
        user: config.user,
        password: config.password,
        ...(config.database ? { database: config.database } : {}),
        facts: { access: '${name}' },
      },
      ctx,
    );
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
    r.value(CONNECTOR, connector as unknown as Connector);
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
  dependencies: ['@pgshift/loader-native', '@pgshift/pg'],
  about:
    'A loader that composes the first-party one (schema from the catalogs, parallel COPY under the snapshot) and adds a hook after the copy; replace phases with your own as you go, keeping the suite green.',
  source: (name) => `${header('loader')}import type { CopySummary, LoadContext } from '@pgshift/plugin-api';
import { LOADER } from '@pgshift/plugin-api';
import { NativeLoader } from '@pgshift/loader-native';

/** The first-party loader with a place for your own work after the copy. */
class Loader extends NativeLoader {
  override async copyData(ctx: LoadContext): Promise<CopySummary> {
    const summary = await super.copyData(ctx);
    ctx.logger.info('copied', { database: ctx.database.name, rows: summary.rows });
    return summary;
  }
}

export default definePlugin({
${meta(name, 'loader', 'Schema and rows under one snapshot, built on the first-party loader.')}
  capabilities: [Capability.loader.schema, Capability.loader.data],
  register(r) {
    r.value(LOADER, new Loader());
  },
});
`,
  test: () => `import { conformanceMajors, describeLoader } from '@pgshift/conformance';
import plugin from '../src/index.js';

describeLoader(plugin, { majors: conformanceMajors([17]) });
`,
};

const replicator: KindTemplate = {
  dependencies: ['@pgshift/replicator-logical', '@pgshift/pg'],
  about:
    'A replicator that wraps the first-party logical replicator (slot with exported snapshot, transactional apply with a durable position); add your own behaviour around it, keeping the suite green.',
  source: (
    name,
  ) => `${header('replicator')}import { REPLICATOR, type ReplicationContext } from '@pgshift/plugin-api';
import { LogicalReplicator } from '@pgshift/replicator-logical';

/** The first-party replicator with a place for your own work before following starts. */
class Replicator extends LogicalReplicator {
  override async prepare(ctx: ReplicationContext): Promise<void> {
    ctx.logger.info('preparing', { database: ctx.database.name });
    await super.prepare(ctx);
  }
}

export default definePlugin({
${meta(name, 'replicator', 'Follows the source through logical decoding, built on the first-party replicator.')}
  capabilities: [Capability.replicator.pgoutput, Capability.replicator.testDecoding, Capability.replicator.resume],
  register(r) {
    r.value(REPLICATOR, new Replicator({ ...r.options }));
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
