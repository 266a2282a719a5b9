import type { SandboxServer } from '@pgshift/sandbox';
import { expect } from 'vitest';
import { runCli } from '../run-cli.js';
import { readState, startCli, type tempDir, waitFor, writeConfig } from './support.js';

/*
 * What the regression database tests do to a source: make the tables the suite leaves unlogged
 * logged (logical decoding cannot follow them), and change rows while pgshift follows.
 */

/** Tables the suite leaves unlogged, which logical decoding cannot follow: made logged, as \`check\` advises. */
export const MAKE_LOGGED = `DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid::regclass AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relpersistence = 'u' AND c.relkind = 'r' AND n.nspname !~ '^pg_' LOOP
    EXECUTE format('ALTER TABLE %s SET LOGGED', r.t);
  END LOOP; END $$`;

/**
 * Changes while following, on the suite's tables that have a one-column integer primary key and
 * nothing that refuses a plain re-insert (generated or identity columns): each row with the
 * smallest key deleted and inserted again, and a few rows updated to the same values. Tables with
 * triggers (but pgshift's TRUNCATE capture on sources before 11), rules or foreign keys are left
 * alone: the suite's own triggers refuse such changes.
 */
/** `laterCatalogs`: the source is 12 or later (partitions, identity and generated columns exist). */
export function changeRowsSql(laterCatalogs: boolean): string {
  return `CREATE FUNCTION pg_temp.change_rows() RETURNS int LANGUAGE plpgsql AS $$ DECLARE r record; n int := 0; BEGIN
  FOR r IN SELECT c.oid::regclass AS t, a.attname AS k FROM pg_class c
      JOIN pg_namespace ns ON ns.oid = c.relnamespace
      JOIN pg_constraint p ON p.conrelid = c.oid AND p.contype = 'p' AND array_length(p.conkey, 1) = 1
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.conkey[1] AND a.atttypid IN ('int4'::regtype, 'int8'::regtype)
     WHERE c.relkind = 'r' AND ns.nspname = 'public' ${laterCatalogs ? 'AND NOT c.relispartition' : ''}
       ${laterCatalogs ? "AND NOT EXISTS (SELECT 1 FROM pg_attribute g WHERE g.attrelid = c.oid AND (g.attgenerated <> '' OR g.attidentity <> ''))" : ''}
       AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid OR i.inhrelid = c.oid)
       AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgname NOT LIKE 'pgshift%')
       AND NOT EXISTS (SELECT 1 FROM pg_rewrite w WHERE w.ev_class = c.oid AND w.rulename <> '_RETURN')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND (f.confrelid = c.oid OR f.conrelid = c.oid))
     ORDER BY 1 LOOP
    EXECUTE format('WITH d AS (DELETE FROM %1$s WHERE %2$I = (SELECT min(%2$I) FROM %1$s) RETURNING *) INSERT INTO %1$s SELECT * FROM d', r.t, r.k);
    EXECUTE format('UPDATE %1$s SET %2$I = %2$I WHERE %2$I IN (SELECT %2$I FROM %1$s ORDER BY 1 DESC LIMIT 3)', r.t, r.k);
    n := n + 1;
  END LOOP;
  RETURN n;
END $$; SELECT pg_temp.change_rows() AS n`;
}

export const CHANGE_ROWS = changeRowsSql(true);

/**
 * Inserts while following, for sources whose tables mostly have no key (9.5's suite): three rows
 * of each plain table copied into it again, tables that refuse it (unique keys, generated
 * columns) skipped. Returns how many tables took them.
 */
export const INSERT_COPIES = `CREATE FUNCTION pg_temp.insert_copies() RETURNS int LANGUAGE plpgsql AS $$ DECLARE r record; n int := 0; BEGIN
  FOR r IN SELECT c.oid::regclass AS t FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
     WHERE c.relkind = 'r' AND ns.nspname = 'public'
       AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid OR i.inhrelid = c.oid)
       AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgname NOT LIKE 'pgshift%')
       AND NOT EXISTS (SELECT 1 FROM pg_rewrite w WHERE w.ev_class = c.oid AND w.rulename <> '_RETURN')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND (f.confrelid = c.oid OR f.conrelid = c.oid))
     ORDER BY 1 LOOP
    BEGIN
      EXECUTE format('INSERT INTO %1$s SELECT * FROM %1$s LIMIT 3', r.t);
      n := n + 1;
    EXCEPTION WHEN OTHERS THEN NULL;
    END;
  END LOOP;
  RETURN n;
END $$; SELECT pg_temp.insert_copies() AS n`;

/**
 * The regression database migrated in full+incremental mode into a target without it: `change`
 * runs on the source once pgshift follows (it returns how many tables it changed, which is
 * returned), then finish, which must complete.
 */
export async function followWhileChanging(spec: {
  dir: ReturnType<typeof tempDir>;
  name: string;
  source: SandboxServer;
  target: SandboxServer;
  change: string;
  copyPrivileges?: boolean;
}): Promise<number> {
  const { dir, name, source, target } = spec;
  await target.query('DROP DATABASE IF EXISTS regression');
  await source.query(MAKE_LOGGED, [], 'regression');
  const config = writeConfig(dir, name, source, target, {
    mode: 'full+incremental',
    databases: ['regression'],
    ...(spec.copyPrivileges ? { copyPrivileges: true } : {}),
  });
  const run = startCli(['run', '-c', config]);
  await waitFor(
    'following',
    () => readState(`${dir.dir}/${name}-state`)?.databases.regression?.phase === 'following',
    600_000,
  );
  const [changed] = await source.query<{ n: number }>(spec.change, [], 'regression');
  const finish = await runCli(['finish', '-c', config]);
  await run.exited;
  expect(finish.stdout, run.output()).toContain('completed');
  expect(finish.code).toBe(0);
  return changed?.n ?? 0;
}
