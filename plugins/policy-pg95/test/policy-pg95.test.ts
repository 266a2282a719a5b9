import { describeVersionPolicy } from '@pgshift/conformance';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { DEFAULT_OUTPUT_PLUGINS, Pg95Policy } from '../src/policy.js';

// No 9.x binaries here: PostgreSQL 10's test_decoding stands in for the plugin installed on a 9.5
// source, configured the way a user would configure dts_decoding.
describeVersionPolicy(
  { plugin, options: { outputPlugin: 'test_decoding', format: 'test_decoding' } },
  {
    majors: [10],
    bypass: {
      'version-policy [version-policy.incremental] creates a slot with an exported snapshot in its declared syntax on a real server':
        'no PostgreSQL 9.4-9.6 server can run here, and 10 is outside the policy range',
    },
  },
);

describe('policy-pg95', () => {
  it('prefers dts_decoding, then wal2json, then test_decoding, unless configured otherwise', () => {
    const caps = new Pg95Policy().capabilities(90524);
    expect(caps.decoder).toEqual({
      outputPlugin: 'dts_decoding',
      format: 'test_decoding',
      publication: false,
    });
    expect(caps.decoderCandidates?.map((c) => `${c.outputPlugin}:${c.format}`)).toEqual([
      'dts_decoding:test_decoding',
      'wal2json:wal2json',
      'test_decoding:test_decoding',
    ]);
    expect(plugin.defaultOptions).toEqual({ outputPlugins: DEFAULT_OUTPUT_PLUGINS });
  });

  it('takes one output plugin and its format from the options, with nothing to fall back to', () => {
    const caps = new Pg95Policy({ outputPlugin: 'wal2json', format: 'wal2json' }).capabilities(90600);
    expect(caps.decoder).toEqual({ outputPlugin: 'wal2json', format: 'wal2json', publication: false });
    expect(caps.decoderCandidates).toBeUndefined();
    expect(caps.slotSnapshotSyntax).toBe('implicit');
  });

  it('takes an ordered list from the options', () => {
    const caps = new Pg95Policy({
      outputPlugins: [
        { name: 'test_decoding', format: 'test_decoding' },
        { name: 'wal2json', format: 'wal2json' },
      ],
    }).capabilities(90600);
    expect(caps.decoder?.outputPlugin).toBe('test_decoding');
    expect(caps.decoderCandidates?.map((c) => c.outputPlugin)).toEqual(['test_decoding', 'wal2json']);
  });
});
