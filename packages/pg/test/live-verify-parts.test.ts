import { type SandboxServer, sourceBuiltBinaries, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient } from '../src/connect.js';
import { serverVersionNum } from '../src/server-version.js';
import { commitsInFlight } from '../src/verify/commits-in-flight.js';
import { openPassSlot } from '../src/verify/pass-slot.js';
import { closeSidePool, openSidePool } from '../src/verify/session-pool.js';
import { freshDatabase, opener, rows, run } from './copy-fixtures.js';

const SLOTS =
  "SELECT slot_name, temporary::text FROM pg_replication_slots WHERE slot_name LIKE 'pgshiftverify%'";
const SLOTS_95 = "SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'pgshiftverify%'";

/** A pass slot's snapshot sees exactly what committed before its consistent point, and the slot goes with release. */
async function passSlotSeesItsPoint(
  server: SandboxServer,
  slotsSql: string,
  listed: (name: string) => Record<string, string>,
) {
  await freshDatabase(server, 'lv_slot');
  await run(server, 'lv_slot', 'CREATE TABLE t (n int); INSERT INTO t VALUES (1)');
  const control = await opener(server, 'lv_slot')();
  try {
    const versionNum = await serverVersionNum(control);
    const replication = () => openClient({ ...server.connection('lv_slot'), replication: true });
    const slot = await openPassSlot(replication, control, versionNum, 'test_decoding');
    let pool: Awaited<ReturnType<typeof openSidePool>> | undefined;
    try {
      expect(await rows(server, 'lv_slot', slotsSql)).toEqual([listed(slot.name)]);
      await run(server, 'lv_slot', 'INSERT INTO t VALUES (2)');
      pool = await openSidePool(opener(server, 'lv_slot'), 2, slot.snapshot);
    } finally {
      await slot.release();
    }
    expect(await rows(server, 'lv_slot', slotsSql)).toEqual([]);
    // The imported snapshot outlives the slot: both sessions still see only the row before it.
    for (const session of pool.sessions)
      expect((await session.query('SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 1 }]);
    await closeSidePool(pool);
  } finally {
    await control.end();
  }
}

describe('live verify parts on 17', () => {
  let pg17: SandboxServer;
  beforeAll(async () => {
    pg17 = await startPostgres({ major: 17 });
  });
  afterAll(async () => {
    await pg17?.stop();
  });

  it('makes a temporary pass slot whose snapshot is its consistent point, gone once released', async () => {
    await passSlotSeesItsPoint(pg17, SLOTS, (name) => ({ slot_name: name, temporary: 'true' }));
  });

  it('knows a commit that waits for a synchronous standby, and when none does', async () => {
    await freshDatabase(pg17, 'lv_sync');
    await run(pg17, 'lv_sync', 'CREATE TABLE t (n int)');
    const source = await opener(pg17, 'lv_sync')();
    const writer = await opener(pg17, 'lv_sync')();
    try {
      expect(await commitsInFlight(source, 170000)).toBe(false);
      await source.query("ALTER SYSTEM SET synchronous_standby_names = 'nobody'");
      await source.query('SELECT pg_reload_conf()');
      // The sandbox runs with synchronous_commit off (fast, not durable): this session waits as a durable server's would.
      await writer.query('SET synchronous_commit = on');
      const pid = (await writer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      // A commit waits only once the checkpointer has taken in the reload, which a busy machine
      // may delay: until then each INSERT commits at once, so another is sent after it.
      let waiting: Promise<unknown> | undefined;
      let settled = true;
      const deadline = Date.now() + 30_000;
      while (!(await commitsInFlight(source, 170000)) && Date.now() < deadline) {
        if (settled) {
          settled = false;
          waiting = writer
            .query('INSERT INTO t VALUES (1)')
            .catch(() => undefined)
            .finally(() => {
              settled = true;
            });
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await commitsInFlight(source, 170000)).toBe(true);
      await source.query('ALTER SYSTEM RESET synchronous_standby_names');
      await source.query('SELECT pg_reload_conf()');
      await waiting;
      await source.query('SELECT pg_cancel_backend($1)', [pid]);
      expect(await commitsInFlight(source, 170000)).toBe(false);
    } finally {
      await Promise.all([source.end(), writer.end().catch(() => {})]);
    }
  });
});

const { missing } = sourceBuiltBinaries(9.5);
describe.skipIf(missing)(`live verify parts on 9.5${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let pg95: SandboxServer;
  beforeAll(async () => {
    pg95 = await startPostgres({ major: 9.5 });
  });
  afterAll(async () => {
    await pg95?.stop();
  });

  it('makes a permanent pass slot (no temporary slots) and drops it on release', async () => {
    await passSlotSeesItsPoint(pg95, SLOTS_95, (name) => ({ slot_name: name }));
  });

  it('drops a pass slot a killed process left behind before making the next one', async () => {
    await freshDatabase(pg95, 'lv_left');
    const control = await opener(pg95, 'lv_left')();
    try {
      await control.query(
        "SELECT pg_create_logical_replication_slot('pgshiftverify_1_left', 'test_decoding')",
      );
      const replication = () => openClient({ ...pg95.connection('lv_left'), replication: true });
      const slot = await openPassSlot(replication, control, await serverVersionNum(control), 'test_decoding');
      const names = (await rows<{ slot_name: string }>(pg95, 'lv_left', SLOTS_95)).map((r) => r.slot_name);
      expect(names).toEqual([slot.name]);
      await slot.release();
      expect(await rows(pg95, 'lv_left', SLOTS_95)).toEqual([]);
    } finally {
      await control.end();
    }
  });
});
