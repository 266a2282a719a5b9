import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readState, startCli, tempDir, waitFor, writeConfig } from './support.js';
import { seedShop, startWriter } from './workload.js';

const SEQUENCES = ['customers_id_seq', 'orders_id_seq'];

async function sequenceValues(server: SandboxServer): Promise<Record<string, bigint>> {
  const values: Record<string, bigint> = {};
  for (const name of SEQUENCES) {
    const rows = await server.query<{ v: string }>(`SELECT last_value::text AS v FROM ${name}`, [], 'shop');
    values[name] = BigInt(rows[0]?.v ?? '0');
  }
  return values;
}

describe('sequences while following', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    await seedShop(source);
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it('a target promoted after pgshift is SIGKILLed mid-sync has every sequence at or past the source at the last sync', async () => {
    const config = writeConfig(dir, 'sequence-sync', source, target, { options: { sequenceSyncSeconds: 1 } });
    const stateDir = `${dir.dir}/sequence-sync-state`;
    const writer = startWriter(source);
    const run = startCli(['run', '-c', config]);
    try {
      await waitFor('following', () => readState(stateDir)?.databases.shop?.phase === 'following', 90_000);
      const following = writer.count();
      await waitFor('writes while following', () => writer.count() > following + 30, 60_000);
      await writer.stop();
      const stoppedAt = new Date().toISOString();
      const onSource = await sequenceValues(source);
      // A sync that began after the last write: what it read is the source's final value.
      await waitFor(
        'a sequence sync after the writes stopped',
        () => (readState(stateDir)?.databases.shop?.sequencesSyncedAt ?? '') > stoppedAt,
        30_000,
      );
      run.child.kill('SIGKILL');
      await run.exited;

      const onTarget = await sequenceValues(target);
      for (const name of SEQUENCES) expect(onTarget[name], name).toBeGreaterThanOrEqual(onSource[name] ?? 0n);
      // Promoted, the target hands out a key the source never gave.
      const rows = await target.query<{ id: string }>(
        `INSERT INTO customers (name) VALUES ('after promotion') RETURNING id::text AS id`,
        [],
        'shop',
      );
      expect(BigInt(rows[0]?.id ?? '0')).toBeGreaterThan(onSource.customers_id_seq ?? 0n);
    } finally {
      await writer.stop();
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });
});
