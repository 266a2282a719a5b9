import { STAGES } from '@pgshift/plugin-api';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { readState, shopServers, startCli, tableFingerprints, waitFor, writeConfig } from './support.js';

const IDENTITY = `SELECT c.relname::text AS "table", a.attname::text AS "column", a.attidentity::text AS identity
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relname IN ('u', 'g') AND a.attidentity <> '' ORDER BY 1, 2`;

// An UPDATE has no OVERRIDING clause: a target whose identity column is ALWAYS refuses the
// source's updates of its rows. pgshift runs it BY DEFAULT while following, ALWAYS again at finish.
describe('full+incremental with GENERATED ALWAYS identity and generated columns', () => {
  const servers = shopServers(
    `CREATE TABLE u (k text PRIMARY KEY, n bigint GENERATED ALWAYS AS IDENTITY, v text);
       CREATE TABLE g (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, price numeric,
                       doubled numeric GENERATED ALWAYS AS (price * 2) STORED);
       INSERT INTO u (k, v) SELECT 'k' || i, 'v' || i FROM generate_series(1, 50) i;
       INSERT INTO g (price) SELECT i FROM generate_series(1, 50) i;`,
  );
  const { dir } = servers;

  it('applies inserts, updates (the identity itself to DEFAULT too) and deletes, then restores ALWAYS with the sequences set', async () => {
    const { source, target } = servers;
    const config = writeConfig(dir, 'identity', source, target);
    const stateDir = `${dir.dir}/identity-state`;
    const run = startCli(['run', '-c', config]);
    await waitFor('following', () => readState(stateDir)?.databases.shop?.phase === 'following', 90_000);
    // The backlog of the copy applied, the stage says so (status showed catch-up all along before).
    await waitFor('syncing', () => readState(stateDir)?.stage === 'syncing', 60_000);
    // While following, the target runs the identity BY DEFAULT.
    expect((await target.query(IDENTITY, [], 'shop')).map((r) => r.identity)).toEqual(['d', 'd']);
    await source.query(
      `UPDATE u SET v = 'w' WHERE k = 'k5';
       UPDATE u SET n = DEFAULT WHERE k = 'k6';
       INSERT INTO u (k, v) VALUES ('k51', 'new');
       DELETE FROM u WHERE k = 'k7';
       UPDATE g SET price = price + 100 WHERE id <= 10;
       INSERT INTO g (price) VALUES (1000), (2000);
       DELETE FROM g WHERE id = 20;`,
      [],
      'shop',
    );
    const finish = await runCli(['finish', '-c', config]);
    expect(finish.code, finish.stdout + finish.stderr + run.output()).toBe(0);
    expect(await run.exited).toBe(0);
    expect(run.output()).not.toContain('PGSHIFT_REPL_APPLY');
    const stages = (
      readState(stateDir) as unknown as { transitions: Array<{ stage: string }> }
    ).transitions.map((t) => t.stage);
    // Every stage after the checks, once each and in order (a fresh run records checking too).
    const order: string[] = STAGES.filter((stage) => stage !== 'checking');
    expect(stages.filter((stage) => order.includes(stage))).toEqual(order);

    const tables = ['u', 'g'];
    expect(await tableFingerprints(target, 'shop', tables)).toEqual(
      await tableFingerprints(source, 'shop', tables),
    );
    // ALWAYS again, as on the source, and the next value drawn on the target follows the source's.
    expect(await target.query(IDENTITY, [], 'shop')).toEqual(await source.query(IDENTITY, [], 'shop'));
    const next = "WITH x AS (INSERT INTO u (k) VALUES ('after') RETURNING n) SELECT n FROM x";
    expect(await target.query(next, [], 'shop')).toEqual(await source.query(next, [], 'shop'));
  });
});
