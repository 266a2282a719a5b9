import { Capability, definePlugin, PLUGIN_API_VERSION, VERSION_POLICY } from '@pgshift/plugin-api';
import { PG95_DEFAULTS, type Pg95Options, Pg95Policy } from './policy.js';

export { PG95_DEFAULTS, type Pg95Options, Pg95Policy } from './policy.js';

export default definePlugin<Pg95Options & Record<string, unknown>>({
  meta: {
    name: 'policy-pg95',
    version: '0.1.0',
    kind: 'version-policy',
    apiVersion: PLUGIN_API_VERSION,
    description: 'PostgreSQL 9.4 to 9.6: incremental sync through an installed output plugin',
  },
  capabilities: [Capability.versionPolicy.fullCopy, Capability.versionPolicy.incremental],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      outputPlugin: {
        type: 'string',
        minLength: 1,
        description: 'Name of the output plugin installed on the source (default dts_decoding).',
      },
      format: {
        enum: ['test_decoding', 'wal2json'],
        description: 'Format the output plugin writes: test_decoding-style text or wal2json JSON.',
      },
    },
  },
  defaultOptions: { ...PG95_DEFAULTS },
  register(r) {
    const { outputPlugin, format } = r.options as Partial<Pg95Options>;
    r.value(
      VERSION_POLICY,
      new Pg95Policy({
        ...(outputPlugin === undefined ? {} : { outputPlugin }),
        ...(format === undefined ? {} : { format }),
      }),
    );
  },
});
