import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import {
  duplicateKeys,
  readState,
  someChunksCopied,
  startCli,
  tableFingerprints,
  tempDir,
  waitFor,
  writeConfig,
} from './support.js';
import { SHOP_TABLES, seedBulk, seedShop, startWriter } from './workload.js';

describe('pgshift killed with SIGKILL and started again', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    await seedShop(source);
    await seedBulk(source);
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  /** SIGKILL while following under a writer, a rerun while it writes on, then finish: identical. */
  async function killDuringCatchUp(
    name: string,
    plugins?: NonNullable<Parameters<typeof writeConfig>[4]>['plugins'],
  ) {
    const config = writeConfig(dir, name, source, target, plugins ? { plugins } : {});
    const stateDir = `${dir.dir}/${name}-state`;
    const writer = startWriter(source);
    try {
      const first = startCli(['run', '-c', config]);
      await waitFor('following', () => readState(stateDir)?.databases.shop?.phase === 'following', 90_000);
      const before = writer.count();
      await waitFor('changes being applied', () => writer.count() > before + 20, 60_000);
      first.child.kill('SIGKILL');
      await first.exited;
      // The source keeps changing while pgshift is down.
      const down = writer.count();
      await waitFor('changes while down', () => writer.count() > down + 20, 60_000);

      const second = startCli(['run', '-c', config]);
      await waitFor('following again', () => second.output().includes('syncing: started'), 90_000);
      const resumed = writer.count();
      await waitFor('changes after restart', () => writer.count() > resumed + 20, 60_000);
      await writer.stop();
      const finish = await runCli(['finish', '-c', config]);
      expect(await second.exited, second.output()).toBe(0);
      expect(finish.code).toBe(0);
    } finally {
      await writer.stop();
    }
    const [onSource, onTarget] = await Promise.all([
      tableFingerprints(source, 'shop', SHOP_TABLES),
      tableFingerprints(target, 'shop', SHOP_TABLES),
    ]);
    expect(onTarget).toEqual(onSource);
    expect(await duplicateKeys(target, 'shop', 'orders', 'id')).toBe(0);
  }

  it('during catch-up: the rerun resumes from the applied position and ends identical, no duplicates', async () => {
    await killDuringCatchUp('crash-sync');
  });

  it('during catch-up with parallel apply (applySessions 3): the rerun resumes and ends identical, no duplicates', async () => {
    // A fresh target database: the run above left its copy there.
    await target.query('DROP DATABASE IF EXISTS shop WITH (FORCE)');
    await killDuringCatchUp('crash-sync-parallel', [
      { use: 'replicator-logical', options: { applySessions: 3 } },
    ]);
  });

  it('mid-copy: the rerun refuses to mix snapshots unless told, then restarts the copy and ends identical', async () => {
    const config = writeConfig(dir, 'crash-copy', source, target, {
      databases: ['bulk'],
      splitTableBytes: 2_000_000,
    });
    const stateDir = `${dir.dir}/crash-copy-state`;
    const first = startCli(['run', '-c', config]);
    // Kill once some chunks are committed on the target but the copy is not complete.
    await someChunksCopied(target);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(readState(stateDir)?.databases.bulk?.phase).toBe('slot-created');

    const refused = await runCli(['run', '-c', config]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('PGSHIFT_SNAPSHOT_LOST');
    expect(refused.stderr).toContain('--on-lost-snapshot restart');

    const second = startCli(['run', '-c', config, '--on-lost-snapshot', 'restart']);
    await waitFor('following', () => second.output().includes('syncing: started'), 120_000);
    // Changes after the new snapshot must arrive through the stream.
    await source.query(
      'UPDATE items SET qty = -1 WHERE id % 1000 = 0; DELETE FROM tags WHERE item_id < 100',
      [],
      'bulk',
    );
    const finish = await runCli(['finish', '-c', config]);
    expect(await second.exited, second.output()).toBe(0);
    expect(finish.code).toBe(0);

    const tables = ['items', 'tags'];
    const [onSource, onTarget] = await Promise.all([
      tableFingerprints(source, 'bulk', tables),
      tableFingerprints(target, 'bulk', tables),
    ]);
    expect(onTarget).toEqual(onSource);
    expect(await duplicateKeys(target, 'bulk', 'items', 'id')).toBe(0);
  });
});
