import { type SandboxServer, sourceBuiltBinaries, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, currentWalLsn, exec, readyToFollow } from './helpers.js';

/**
 * Where the copy reads a snapshot of its own (sources before 10, whose slot snapshot may miss
 * commits), the stream from the consistent point brings again what that snapshot saw. Those
 * transactions must be skipped, and the ones it did not see applied, a resumed run included.
 */
const old = sourceBuiltBinaries(9.5);
const SOURCES = [17, ...(old.missing ? [] : [9.5])];

let target: SandboxServer;
const sources = new Map<number, SandboxServer>();
beforeAll(async () => {
  const started = await Promise.all([
    startPostgres({ major: 17 }),
    ...SOURCES.map((major) => startPostgres({ major })),
  ]);
  target = started[0]!;
  for (const [i, major] of SOURCES.entries()) sources.set(major, started[i + 1]!);
});
afterAll(async () => {
  await Promise.all([target?.stop(), ...[...sources.values()].map((s) => s.stop())]);
});

async function rows(server: SandboxServer, database: string): Promise<string[]> {
  const found = await server.query<{ r: string }>(
    "SELECT n || ':' || t AS r FROM k ORDER BY n, t",
    [],
    database,
  );
  return found.map((row) => row.r);
}

for (const major of [17, 9.5]) {
  const skip = !SOURCES.includes(major);
  it.skipIf(skip)(
    `source ${major}: what the copy's snapshot saw is skipped, what it did not see is applied${skip ? ` (skipped: ${old.missing})` : ''}`,
    async () => {
      const source = sources.get(major)!;
      const database = `copied_${String(major).replace('.', '')}`;
      const src = source.connection();
      const dst = target.connection();
      const { ctx, replicator } = await readyToFollow({
        source: src,
        target: dst,
        database,
        format: 'test_decoding',
        slotName: `s_${database}`,
        sourceMajor: major,
        ddl: 'CREATE TABLE k (n int, t text)',
        options: { groupMaxMs: 50 },
      });
      const [recorded] = await target.query<{ snap: string | null }>(
        'SELECT copied_snapshot AS snap FROM pgshift.apply_progress',
        [],
        database,
      );
      // Before 10 the slot's own snapshot is not trusted: createSlot took one and recorded it.
      expect(recorded?.snap !== null).toBe(major < 10);

      // A committed before the snapshot, C open across it, B after it.
      await exec(src, database, "INSERT INTO k VALUES (1, 'a')");
      const open = await connect(src, database);
      await open.query("BEGIN; INSERT INTO k VALUES (3, 'c')");
      const [snap] = await source.query<{ s: string }>(
        'SELECT txid_current_snapshot()::text AS s',
        [],
        database,
      );
      await open.query('COMMIT');
      await open.end();
      await exec(src, database, "INSERT INTO k VALUES (2, 'b')");
      // The copy under that snapshot holds A only.
      await exec(dst, database, "INSERT INTO k VALUES (1, 'a')");
      await target.query('UPDATE pgshift.apply_progress SET copied_snapshot = $1', [snap!.s], database);

      const drainTo = await currentWalLsn(src, database);
      await replicator.follow(ctx, { signal: new AbortController().signal, drainTo: () => drainTo });
      expect(await rows(target, database)).toEqual(['1:a', '2:b', '3:c']);

      // A resumed run meets none of them again and applies what came after.
      await exec(src, database, "INSERT INTO k VALUES (4, 'd')");
      const again = await currentWalLsn(src, database);
      await replicator.follow(ctx, { signal: new AbortController().signal, drainTo: () => again });
      expect(await rows(target, database)).toEqual(['1:a', '2:b', '3:c', '4:d']);
      await replicator.cleanup(ctx);
    },
  );
}
