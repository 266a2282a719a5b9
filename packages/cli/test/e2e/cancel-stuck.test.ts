import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { readState, shopServers, startCli, waitFor, writeConfig } from './support.js';

const SLOTS = 'SELECT slot_name FROM pg_replication_slots';
const PUBLICATIONS = 'SELECT pubname FROM pg_publication';

// A change the target refuses stops every run at the same place: no process will ever carry out
// a recorded cancel, so cancel does it itself and gives back the source's slot and publication.
describe('cancel of a task whose apply keeps failing', () => {
  const servers = shopServers(
    "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'ok' FROM generate_series(1, 10) g",
  );
  const { dir } = servers;

  it('drops the slot and the publication on the source with no process running, and records the task cancelled', async () => {
    const { source, target } = servers;
    const config = writeConfig(dir, 'stuck', source, target);
    const stateDir = `${dir.dir}/stuck-state`;
    const run = startCli(['run', '-c', config]);
    await waitFor('following', () => readState(stateDir)?.databases.shop?.phase === 'following', 90_000);
    await target.query("ALTER TABLE t ADD CONSTRAINT no_bad CHECK (v <> 'bad')", [], 'shop');
    await source.query("UPDATE t SET v = 'bad' WHERE id = 3", [], 'shop');
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toContain('PGSHIFT_REPL_APPLY');
    expect(await source.query(SLOTS, [], 'shop')).toHaveLength(1);

    const cancel = await runCli(['cancel', '-c', config]);
    expect(cancel.code, cancel.stdout + cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain('cancelling it now');
    expect(await source.query(SLOTS, [], 'shop')).toEqual([]);
    expect(await source.query(PUBLICATIONS, [], 'shop')).toEqual([]);
    expect(readState(stateDir)?.status).toBe('cancelled');
    // The target keeps what it had: cancel never touches the migrated rows.
    expect(await target.query('SELECT count(*)::int AS n FROM t', [], 'shop')).toEqual([{ n: 10 }]);
  });
});
