import { createServerHandle, directRoute } from '@pgshift/pg';
import type { DecoderChoice, VersionCapabilities } from '@pgshift/plugin-api';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replicationName } from '../src/orchestrator/names.js';
import { settleDecoder } from '../src/orchestrator/settle-decoder.js';

const choice = (outputPlugin: string, format: DecoderChoice['format']): DecoderChoice => ({
  outputPlugin,
  format,
  publication: format === 'pgoutput',
});

function withCandidates(candidates: DecoderChoice[]): VersionCapabilities {
  return {
    fullCopy: true,
    incremental: true,
    decoder: candidates[0],
    decoderCandidates: candidates,
    slotSnapshotSyntax: 'keyword',
  };
}

describe('settleDecoder: the first installed output plugin of a policy list', () => {
  let server: SandboxServer;
  beforeAll(async () => {
    server = await startPostgres({ major: 10 });
  });
  afterAll(() => server?.stop());

  const handle = () => createServerHandle('source', directRoute(server.connection()));
  const probeSlotsLeft = async () =>
    server.query("SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'pgshift_probe_%'");

  it('skips a plugin that is not installed, says so, and leaves no probe slot', async () => {
    const settled = await settleDecoder(
      'shop',
      handle(),
      withCandidates([choice('dts_decoding', 'test_decoding'), choice('test_decoding', 'test_decoding')]),
    );
    expect(settled.capabilities.decoder?.outputPlugin).toBe('test_decoding');
    expect(settled.note).toMatch(
      /read through output plugin test_decoding; not usable: dts_decoding \(.*dts_decoding/,
    );
    expect(await probeSlotsLeft()).toEqual([]);
  });

  it('keeps the first candidate when none loads, for the output-plugin check to report', async () => {
    const settled = await settleDecoder(
      'shop',
      handle(),
      withCandidates([choice('dts_decoding', 'test_decoding'), choice('no_such_plugin', 'wal2json')]),
    );
    expect(settled.capabilities.decoder?.outputPlugin).toBe('dts_decoding');
    expect(settled.note).toBeUndefined();
  });

  it('a resumed task keeps the plugin its slot was made with, even when an earlier candidate loads', async () => {
    const slot = replicationName('resumed', 'postgres');
    await server.query("SELECT pg_create_logical_replication_slot($1, 'test_decoding')", [slot]);
    try {
      const settled = await settleDecoder(
        'resumed',
        handle(),
        withCandidates([choice('pgoutput', 'pgoutput'), choice('test_decoding', 'test_decoding')]),
      );
      expect(settled.capabilities.decoder?.outputPlugin).toBe('test_decoding');
      expect(settled.note).toContain(`slot ${slot}`);
    } finally {
      await server.query('SELECT pg_drop_replication_slot($1)', [slot]);
    }
  });
});
