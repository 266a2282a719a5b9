import { defineVersionPolicy } from '@pgshift/plugin-api';
import { DEFAULT_OUTPUT_PLUGINS, type Pg95Options, Pg95Policy } from './policy.js';

const FORMAT = {
  enum: ['test_decoding', 'wal2json'],
  description: 'Format the output plugin writes: test_decoding-style text or wal2json JSON.',
};

export default defineVersionPolicy<Pg95Options & Record<string, unknown>>({
  name: 'policy-pg95',
  version: '0.2.0',
  description: 'PostgreSQL 9.4 to 9.6: incremental sync through an installed output plugin',
  incremental: true,
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      outputPlugins: {
        type: 'array',
        minItems: 1,
        description:
          'Output plugins in order of preference; the first one installed on the source is used (default dts_decoding, wal2json, test_decoding).',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'format'],
          properties: { name: { type: 'string', minLength: 1 }, format: FORMAT },
        },
      },
      outputPlugin: {
        type: 'string',
        minLength: 1,
        description: 'One output plugin to use and no other (instead of outputPlugins).',
      },
      format: FORMAT,
    },
  },
  defaultOptions: { outputPlugins: DEFAULT_OUTPUT_PLUGINS },
  policy(options) {
    const { outputPlugins, outputPlugin, format } = options as Partial<Pg95Options>;
    return new Pg95Policy({
      ...(outputPlugin === undefined ? { outputPlugins } : { outputPlugin }),
      ...(format === undefined ? {} : { format }),
    });
  },
});
