import { describeVersionPolicy } from '@pgshift/conformance';
import { describe, expect, it } from 'vitest';
import plugin, { Pg95Policy } from '../src/index.js';

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
  it('uses dts_decoding in test_decoding format unless configured otherwise', () => {
    expect(new Pg95Policy().capabilities(90524).decoder).toEqual({
      outputPlugin: 'dts_decoding',
      format: 'test_decoding',
      publication: false,
    });
    expect(plugin.defaultOptions).toEqual({ outputPlugin: 'dts_decoding', format: 'test_decoding' });
  });

  it('takes the output plugin and its format from the options', () => {
    const caps = new Pg95Policy({ outputPlugin: 'wal2json', format: 'wal2json' }).capabilities(90600);
    expect(caps.decoder).toEqual({ outputPlugin: 'wal2json', format: 'wal2json', publication: false });
    expect(caps.slotSnapshotSyntax).toBe('implicit');
  });
});
