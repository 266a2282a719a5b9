import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import {
  duplicateKeys,
  readState,
  startCli,
  tableFingerprints,
  tempDir,
  waitFor,
  writeConfig,
} from './support.js';
import { recordSupport } from './support-matrix.js';
import { SHOP_TABLES, seedShop, startWriter } from './workload.js';

const EVENT_TRIGGERS = 'SELECT evtname, evtenabled FROM pg_event_trigger';

// One run per source major: the oldest supported (10) and a current one, both into 17.
describe.each([10, 17])('full+incremental from PostgreSQL %i to 17 while the source is written', (major) => {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major }), startPostgres({ major: 17 })]);
    await seedShop(source);
    // An event trigger is copied disabled and enabled only by finish (it would fire on pgshift's DDL).
    await source.query(
      `CREATE FUNCTION public.ddl_noop() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
       CREATE EVENT TRIGGER shop_ddl ON ddl_command_end EXECUTE PROCEDURE public.ddl_noop()`,
      [],
      'shop',
    );
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it('copies, follows inserts/updates/key changes/deletes/truncates, finishes from another process with zero differences', async () => {
    const config = writeConfig(dir, `inc-${major}`, source, target);
    const stateDir = `${dir.dir}/inc-${major}-state`;
    const writer = startWriter(source);
    const run = startCli(['run', '-c', config]);
    try {
      await waitFor('following', () => readState(stateDir)?.databases.shop?.phase === 'following', 90_000);
      expect(await target.query(EVENT_TRIGGERS, [], 'shop')).toEqual([
        { evtname: 'shop_ddl', evtenabled: 'D' },
      ]);
      // Let the stream carry a good number of live transactions after the copy.
      const atFollow = writer.count();
      await waitFor('live changes', () => writer.count() > atFollow + 40, 60_000);
    } finally {
      await writer.stop();
    }
    const finish = await runCli(['finish', '-c', config]);
    await run.exited;
    // The run's own output says why when something differs; show it with the failure.
    expect(finish.stdout, run.output()).toContain('completed');
    expect(finish.code).toBe(0);
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('result: identical');
    expect(await target.query(EVENT_TRIGGERS, [], 'shop')).toEqual([
      { evtname: 'shop_ddl', evtenabled: 'O' },
    ]);

    const [onSource, onTarget] = await Promise.all([
      tableFingerprints(source, 'shop', SHOP_TABLES),
      tableFingerprints(target, 'shop', SHOP_TABLES),
    ]);
    expect(onTarget).toEqual(onSource);
    expect(await duplicateKeys(target, 'shop', 'orders', 'id')).toBe(0);
    // finish dropped the slot and the publication on the source
    expect(await source.query('SELECT slot_name FROM pg_replication_slots', [], 'shop')).toEqual([]);
    expect(await source.query('SELECT pubname FROM pg_publication', [], 'shop')).toEqual([]);
    // nothing of pgshift's stays on the source (the TRUNCATE capture of sources before 11)
    expect(
      await source.query("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'pgshift%'", [], 'shop'),
    ).toEqual([]);
    expect(
      await source.query("SELECT nspname FROM pg_namespace WHERE nspname = 'pgshift'", [], 'shop'),
    ).toEqual([]);
    // and sequences were brought up to the source's values
    const seq = 'SELECT last_value::text AS v FROM customers_id_seq';
    expect(await target.query(seq, [], 'shop')).toEqual(await source.query(seq, [], 'shop'));
    await recordSupport(source, target, {
      mode: 'full+incremental',
      outputPlugin: 'pgoutput',
      proof:
        'writer with key changes, deletes and TRUNCATE; finish from another process; exact, no slot left',
    });
  });
});
