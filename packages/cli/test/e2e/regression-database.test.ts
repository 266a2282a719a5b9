import { regressionDatabase, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { fingerprint } from './schema-compare.js';
import { readState, startCli, tempDir, waitFor, writeConfig } from './support.js';

/*
 * PostgreSQL's own regression database, the hardest schema there is, migrated by `pgshift run`
 * into a fresh server of the same build and compared independently. Runs where the database is
 * provided (see packages/sandbox/src/regression-database.ts and docs/testing.md).
 */
const MAJORS = [15] as const;

/** Tables the suite leaves unlogged, which logical decoding cannot follow: made logged, as \`check\` advises. */
const MAKE_LOGGED = `DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid::regclass AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relpersistence = 'u' AND c.relkind = 'r' AND n.nspname !~ '^pg_' LOOP
    EXECUTE format('ALTER TABLE %s SET LOGGED', r.t);
  END LOOP; END $$`;

/**
 * Changes while following, on the suite's tables that have a one-column integer primary key and
 * nothing that refuses a plain re-insert (generated or identity columns): each row with the
 * smallest key deleted and inserted again, and a few rows updated to the same values. Tables with
 * triggers, rules or foreign keys are left alone: the suite's own triggers refuse such changes.
 */
const CHANGE_ROWS = `CREATE FUNCTION pg_temp.change_rows() RETURNS int LANGUAGE plpgsql AS $$ DECLARE r record; n int := 0; BEGIN
  FOR r IN SELECT c.oid::regclass AS t, a.attname AS k FROM pg_class c
      JOIN pg_namespace ns ON ns.oid = c.relnamespace
      JOIN pg_constraint p ON p.conrelid = c.oid AND p.contype = 'p' AND array_length(p.conkey, 1) = 1
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.conkey[1] AND a.atttypid IN ('int4'::regtype, 'int8'::regtype)
     WHERE c.relkind = 'r' AND ns.nspname = 'public' AND NOT c.relispartition
       AND NOT EXISTS (SELECT 1 FROM pg_attribute g WHERE g.attrelid = c.oid AND (g.attgenerated <> '' OR g.attidentity <> ''))
       AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid OR i.inhrelid = c.oid)
       AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal)
       AND NOT EXISTS (SELECT 1 FROM pg_rewrite w WHERE w.ev_class = c.oid AND w.rulename <> '_RETURN')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND (f.confrelid = c.oid OR f.conrelid = c.oid))
     ORDER BY 1 LOOP
    EXECUTE format('WITH d AS (DELETE FROM %1$s WHERE %2$I = (SELECT min(%2$I) FROM %1$s) RETURNING *) INSERT INTO %1$s SELECT * FROM d', r.t, r.k);
    EXECUTE format('UPDATE %1$s SET %2$I = %2$I WHERE %2$I IN (SELECT %2$I FROM %1$s ORDER BY 1 DESC LIMIT 3)', r.t, r.k);
    n := n + 1;
  END LOOP;
  RETURN n;
END $$; SELECT pg_temp.change_rows() AS n`;

for (const major of MAJORS) {
  const { found, missing } = regressionDatabase(major);
  describe.skipIf(missing)(
    `PostgreSQL ${major} regression database${missing ? ` (skipped: ${missing})` : ''}`,
    () => {
      let source: SandboxServer;
      let target: SandboxServer;
      const dir = tempDir();

      beforeAll(async () => {
        if (!found) return;
        [source, target] = await Promise.all([
          startPostgres({ major, binaries: found.binaries, dataTemplate: found.dataTemplate }),
          startPostgres({ major, binaries: found.binaries }),
        ]);
      });
      afterAll(async () => {
        await Promise.all([source?.stop(), target?.stop()]);
        dir.cleanup();
      });

      it('migrates in full mode with every row, column order, index, constraint and sequence identical', async () => {
        const config = writeConfig(dir, `regression-${major}-full`, source, target, {
          mode: 'full',
          databases: ['regression'],
          copyPrivileges: true,
        });
        const check = await runCli(['check', '-c', config]);
        expect(check.stdout, check.stderr).not.toMatch(/^FAILED/m);

        const run = await runCli(['run', '-c', config]);
        expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
        expect(run.stdout).toContain('result: identical');

        const [onSource, onTarget] = await Promise.all([
          fingerprint(source, 'regression'),
          fingerprint(target, 'regression'),
        ]);
        expect(Object.keys(onSource.tables).length).toBeGreaterThan(500);
        expect(onTarget).toEqual(onSource);

        const verify = await runCli(['verify', '-c', config]);
        expect(verify.code, `${verify.stdout}\n${verify.stderr}`).toBe(0);
      }, 900_000);

      it('migrates in full+incremental mode, following changes, and finishes identical', async () => {
        await target.query('DROP DATABASE IF EXISTS regression');
        await source.query(MAKE_LOGGED, [], 'regression');
        const name = `regression-${major}-inc`;
        const config = writeConfig(dir, name, source, target, {
          mode: 'full+incremental',
          databases: ['regression'],
          copyPrivileges: true,
        });
        const run = startCli(['run', '-c', config]);
        await waitFor(
          'following',
          () => readState(`${dir.dir}/${name}-state`)?.databases.regression?.phase === 'following',
          600_000,
        );
        const [changed] = await source.query<{ n: number }>(CHANGE_ROWS, [], 'regression');
        expect(changed?.n).toBeGreaterThan(5);
        const finish = await runCli(['finish', '-c', config]);
        await run.exited;
        expect(finish.stdout, run.output()).toContain('completed');
        expect(finish.code).toBe(0);

        const [onSource, onTarget] = await Promise.all([
          fingerprint(source, 'regression'),
          fingerprint(target, 'regression'),
        ]);
        expect(onTarget).toEqual(onSource);
        const slots = await source.query('SELECT slot_name FROM pg_replication_slots', [], 'regression');
        expect(slots).toEqual([]);
      }, 900_000);
    },
  );
}
