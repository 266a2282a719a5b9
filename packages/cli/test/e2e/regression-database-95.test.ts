import { regressionDatabase, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { followWhileChanging, INSERT_COPIES } from './regression-changes.js';
import { fingerprint, rowCounts } from './schema-compare.js';
import { tempDir, writeConfig } from './support.js';

/*
 * PostgreSQL 9.5's regression database into 15 (the installation of the 15 regression database,
 * whose lib/ holds 15's build of the suite's C library): what 15 cannot hold is named by `check`
 * before anything is written; once the source is changed as the remedies say, the run copies the
 * rest exactly. Runs where both regression databases are provided (docs/testing.md).
 */
const old = regressionDatabase(9.5);
const current = regressionDatabase(15);
const missing = old.missing ?? current.missing;

interface CheckItem {
  id: string;
  status: string;
  message: string;
  remedy?: string;
}

/** The statements of a remedy: its lines that are SQL, without their trailing comments. */
function remedyStatements(remedy: string): string[] {
  return remedy
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .map((line) => line.split('  --')[0]?.trim() ?? '')
    .filter((line) => /^(ALTER|DROP)\b.*;$/.test(line));
}

describe.skipIf(missing)(
  `PostgreSQL 9.5 regression database into 15${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let source: SandboxServer;
    let target: SandboxServer;
    const dir = tempDir();

    beforeAll(async () => {
      if (!old.found || !current.found) return;
      [source, target] = await Promise.all([
        startPostgres({ major: 9.5, binaries: old.found.binaries, dataTemplate: old.found.dataTemplate }),
        startPostgres({ major: 15, binaries: current.found.binaries }),
      ]);
    });
    afterAll(async () => {
      await Promise.all([source?.stop(), target?.stop()]);
      dir.cleanup();
    });

    it('check names what 15 cannot hold; with the remedies applied the rest migrates exactly', async () => {
      const config = writeConfig(dir, 'regression-95', source, target, {
        mode: 'full',
        databases: ['regression'],
      });
      const check = await runCli(['check', '-c', config, '--json']);
      expect(check.code).toBe(1);
      const items = (JSON.parse(check.stdout) as { items: CheckItem[] }).items;
      const failed = new Map(items.filter((i) => i.status === 'failed').map((i) => [i.id, i]));
      expect([...failed.keys()].sort()).toEqual(['target.function-libraries', 'target.major-compatibility']);
      const major = failed.get('target.major-compatibility')?.message ?? '';
      for (const named of [
        'public.abstime_tbl.f1 uses type abstime',
        'public.reltime_tbl.f1 uses type reltime',
        'public.tinterval_tbl.f1 uses type tinterval',
        'table "public"."tenk1" is WITH OIDS',
        'postfix operator public.#@#',
        'transform FOR integer LANGUAGE sql uses varchar_transform(internal)',
      ])
        expect(major).toContain(named);
      const libraries = failed.get('target.function-libraries')?.message ?? '';
      for (const fn of [
        'public.boxarea(box)',
        'public.funny_dup17()',
        'public.oldstyle_length(integer, text)',
      ])
        expect(libraries).toContain(fn);

      // The remedies, as a user applies them on the source; two need a decision the check leaves
      // to the user: tinterval has no successor type, and on 9.5 every SQL function on integer
      // depends on the transform for integer, so dropping it takes them along.
      const statements = [...failed.values()].flatMap((i) => remedyStatements(i.remedy ?? ''));
      expect(statements.length).toBeGreaterThanOrEqual(10);
      for (const sql of statements.filter((s) => !s.startsWith('DROP TRANSFORM')))
        await source.query(sql, [], 'regression');
      await source.query('ALTER TABLE public.tinterval_tbl DROP COLUMN f1', [], 'regression');
      await source.query('DROP TRANSFORM FOR integer LANGUAGE sql CASCADE', [], 'regression');

      const again = await runCli(['check', '-c', config]);
      expect(again.stdout).not.toMatch(/^FAILED/m);
      const run = await runCli(['run', '-c', config]);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('result: identical');

      // Independently: every column in order, every table's row count, every sequence. (Rows by
      // value are verify's: 9.5 and 15 print floats and tsquery differently.)
      const [onSource, onTarget] = await Promise.all([
        fingerprint(source, 'regression'),
        fingerprint(target, 'regression'),
      ]);
      expect(Object.keys(onSource.tables).length).toBeGreaterThan(200);
      expect(rowCounts(onTarget.tables)).toEqual(rowCounts(onSource.tables));
      expect(onTarget.columns).toEqual(onSource.columns);
      expect(onTarget.sequences).toEqual(onSource.sequences);
    }, 900_000);

    it('then migrates in full+incremental mode through test_decoding, following changes, and finishes identical', async () => {
      // Runs on the source the first test changed as the remedies say.
      const changed = await followWhileChanging({
        dir,
        name: 'regression-95-inc',
        source,
        target,
        change: INSERT_COPIES,
      });
      expect(changed).toBeGreaterThan(20);
      const [onSource, onTarget] = await Promise.all([
        fingerprint(source, 'regression'),
        fingerprint(target, 'regression'),
      ]);
      expect(rowCounts(onTarget.tables)).toEqual(rowCounts(onSource.tables));
      expect(onTarget.columns).toEqual(onSource.columns);
      expect(onTarget.sequences).toEqual(onSource.sequences);
      expect(await source.query('SELECT slot_name FROM pg_replication_slots', [], 'regression')).toEqual([]);
    }, 900_000);
  },
);
