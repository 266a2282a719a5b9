import { ConformanceServers } from '@pgshift/conformance';
import { wal2jsonAcceptsNumbersAsStrings } from '@pgshift/pg';
import type { CheckContext } from '@pgshift/plugin-api';
import { systemPostgresWith } from '@pgshift/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputPluginChecker } from '../src/check.js';

/** wal2json is not in the npm builds of PostgreSQL; scripts/ci-prerequisites.sh installs Debian's. */
const { binaries, missing } = systemPostgresWith('wal2json.so');

const servers = new ConformanceServers(binaries?.major ?? 15);
afterAll(() => servers.stopAll());

async function checkWal2json(database: string, setup: string): Promise<CheckContext> {
  const source = await servers.server('source', binaries ? { binaries } : {});
  await servers.database(source, database, setup);
  const ctx = await servers.checkContext({ source, target: source, databases: [database] });
  return {
    ...ctx,
    capabilities: {
      fullCopy: true,
      incremental: true,
      decoder: { outputPlugin: 'wal2json', format: 'wal2json', publication: false },
      slotSnapshotSyntax: 'option-list',
    },
  };
}

/** Whether this wal2json sends numbers as strings (2.6+): then NaN is exact and nothing is refused. */
async function sendsNumbersAsStrings(): Promise<boolean> {
  const source = await servers.server('source', binaries ? { binaries } : {});
  const session = await servers.handle('source', source).connect({});
  try {
    await session.query("SELECT pg_create_logical_replication_slot('probe', 'wal2json', true)");
    return await wal2jsonAcceptsNumbersAsStrings(session, 'probe');
  } finally {
    await session.close();
  }
}

describe.skipIf(missing)(
  `source.output-plugin with wal2json${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    it('fails when wal2json predates 2.6 and a selected column is real, double precision or numeric', async (test) => {
      if (await sendsNumbersAsStrings())
        test.skip('this wal2json sends numbers as strings: nothing to refuse');
      const ctx = await checkWal2json(
        'w2j_floats',
        'CREATE TABLE prices (id int PRIMARY KEY, amount numeric, ratio real); CREATE TABLE notes (id int PRIMARY KEY, body text)',
      );
      const [result] = [await new OutputPluginChecker().run(ctx)].flat();
      expect(result).toMatchObject({
        status: 'failed',
        message: expect.stringContaining('public.prices.amount, public.prices.ratio'),
        remedy: expect.stringContaining('upgrade wal2json'),
      });
      // The temporary slot is gone.
      const source = await servers.server('source');
      expect(
        await source.query("SELECT 1 FROM pg_replication_slots WHERE slot_name LIKE 'pgshift_probe_%'"),
      ).toEqual([]);
    });

    it('passes when no selected column could hold NaN or Infinity', async () => {
      const ctx = await checkWal2json(
        'w2j_plain',
        'CREATE TABLE notes (id bigint PRIMARY KEY, body text, n int)',
      );
      const [result] = [await new OutputPluginChecker().run(ctx)].flat();
      expect(result?.status, JSON.stringify(result)).toBe('pass');
    });
  },
);
