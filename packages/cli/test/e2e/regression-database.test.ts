import { regressionDatabase, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { CHANGE_ROWS, followWhileChanging } from './regression-changes.js';
import { fingerprint } from './schema-compare.js';
import { tempDir, writeConfig } from './support.js';

/*
 * PostgreSQL's own regression database, the hardest schema there is, migrated by `pgshift run`
 * into a fresh server of the same build and compared independently. Runs where the database is
 * provided (see packages/sandbox/src/regression-database.ts and docs/testing.md).
 */
const MAJORS = [15] as const;

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
        const changed = await followWhileChanging({
          dir,
          name: `regression-${major}-inc`,
          source,
          target,
          change: CHANGE_ROWS,
          copyPrivileges: true,
        });
        expect(changed).toBeGreaterThan(5);

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
