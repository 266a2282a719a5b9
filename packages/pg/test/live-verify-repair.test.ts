import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTableInventory } from '../src/copy/inventory.js';
import type { TableInfo } from '../src/copy/types.js';
import { applyFixedSettings } from '../src/session-settings.js';
import { keyText, readKeyedRows } from '../src/verify/key-rows.js';
import { prepareRepairLog } from '../src/verify/repair-log.js';
import { repairRow } from '../src/verify/repair-row.js';
import { freshDatabase, opener, rows, run } from './copy-fixtures.js';

const TABLE = `CREATE TABLE t (id int PRIMARY KEY, v text, g int GENERATED ALWAYS AS (id * 2) STORED);
               CREATE TABLE child (id int PRIMARY KEY, t_id int REFERENCES t (id) ON DELETE CASCADE)`;
const PROGRESS = `CREATE SCHEMA pgshift;
  CREATE TABLE pgshift.apply_progress (slot_name text PRIMARY KEY, commit_lsn pg_lsn, end_lsn pg_lsn NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(), copied_snapshot text);
  INSERT INTO pgshift.apply_progress (slot_name, end_lsn) VALUES ('task_slot', '0/10')`;

/** One row's repair on its own, against two servers standing for the source and a following target. */
describe('repairing one row', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  let s: pg.Client;
  let t: pg.Client;
  let table: TableInfo;
  const version = async (id: number) =>
    (await readKeyedRows(s, table, [[String(id)]])).get(keyText([String(id)]))?.version;
  const repair = async (id: number, confirmed: string | undefined) =>
    repairRow(t, s, table, [String(id)], confirmed, 'task_slot', 170000);

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 17 })]);
    await Promise.all([freshDatabase(source, 'rp'), freshDatabase(target, 'rp')]);
    await run(
      source,
      'rp',
      `${TABLE}; INSERT INTO t VALUES (1, 'one'), (2, 'two'), (4, 'four'); INSERT INTO child VALUES (1, 1)`,
    );
    await run(
      target,
      'rp',
      `${TABLE}; ${PROGRESS};
      INSERT INTO t VALUES (1, 'drift'), (3, 'stray'), (4, 'four'); INSERT INTO child VALUES (1, 1)`,
    );
    [s, t] = await Promise.all([opener(source, 'rp')(), opener(target, 'rp')()]);
    await Promise.all([applyFixedSettings(s), applyFixedSettings(t)]);
    await prepareRepairLog(t);
    table = (await readTableInventory(s)).find((x) => x.name === 't') as TableInfo;
  });
  afterAll(async () => {
    await Promise.all([s?.end(), t?.end()]);
    await Promise.all([source?.stop(), target?.stop()]);
  });

  it('updates a different row in place (its children stay), inserts a missing one, deletes an extra one, and records each', async () => {
    expect(await repair(1, await version(1))).toBe('updated');
    expect(await repair(2, await version(2))).toBe('inserted');
    expect(await repair(3, undefined)).toBe('deleted');
    expect(await repair(4, await version(4))).toBe('already-same');
    expect(await rows(target, 'rp', 'SELECT id, v, g FROM t ORDER BY id')).toEqual([
      { id: 1, v: 'one', g: 2 },
      { id: 2, v: 'two', g: 4 },
      { id: 4, v: 'four', g: 8 },
    ]);
    expect(await rows(target, 'rp', 'SELECT id, t_id FROM child')).toEqual([{ id: 1, t_id: 1 }]);
    expect(
      await rows(
        target,
        'rp',
        'SELECT table_name, key, action, applied_lsn::text FROM pgshift.verify_repairs ORDER BY id',
      ),
    ).toEqual([
      { table_name: '"public"."t"', key: '["1"]', action: 'updated', applied_lsn: '0/10' },
      { table_name: '"public"."t"', key: '["2"]', action: 'inserted', applied_lsn: '0/10' },
      { table_name: '"public"."t"', key: '["3"]', action: 'deleted', applied_lsn: '0/10' },
    ]);
  });

  it('writes nothing when the source row changed since it was confirmed', async () => {
    const confirmed = await version(2);
    await run(source, 'rp', "UPDATE t SET v = 'two again' WHERE id = 2");
    await run(target, 'rp', "UPDATE t SET v = 'drift' WHERE id = 2");
    expect(await repair(2, confirmed)).toBe('source-changed');
    expect(await rows(target, 'rp', 'SELECT v FROM t WHERE id = 2')).toEqual([{ v: 'drift' }]);
  });

  it('never waits for the follower: while it holds the apply position, nothing is written; once it lets go, the repair goes through', async () => {
    const follower = await opener(target, 'rp')();
    try {
      await follower.query('BEGIN');
      await follower.query(
        "UPDATE pgshift.apply_progress SET end_lsn = '0/20' WHERE slot_name = 'task_slot'",
      );
      expect(await repair(2, await version(2))).toBe('busy');
      expect(await rows(target, 'rp', 'SELECT v FROM t WHERE id = 2')).toEqual([{ v: 'drift' }]);
      await follower.query('COMMIT');
      await follower.query('BEGIN');
      await follower.query("UPDATE t SET v = 'held' WHERE id = 2");
      expect(await repair(2, await version(2))).toBe('busy');
      await follower.query('ROLLBACK');
      expect(await repair(2, await version(2))).toBe('updated');
      expect(await rows(target, 'rp', 'SELECT v FROM t WHERE id = 2')).toEqual([{ v: 'two again' }]);
      expect(
        await rows(
          target,
          'rp',
          'SELECT applied_lsn::text FROM pgshift.verify_repairs WHERE key = \'["2"]\' ORDER BY id DESC LIMIT 1',
        ),
      ).toEqual([{ applied_lsn: '0/20' }]);
    } finally {
      await follower.end();
    }
  });
});
