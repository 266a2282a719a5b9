import {
  type SandboxServer,
  SOURCE_BUILT_MAJORS,
  sourceBuiltBinaries,
  startPostgres,
} from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { legacyHashes, seedLegacy, startLegacyWriter } from './legacy-dataset.js';
import { readState, startCli, tempDir, waitFor, writeConfig } from './support.js';
import { recordSupport } from './support-matrix.js';

/**
 * Full copies from the 9.x sources the product exists for, into 15 and 17, checked by an
 * independent compare. Each major runs where its binaries are found (see docs/testing.md).
 */
const TARGETS = [15, 17] as const;

async function sequenceValues(server: SandboxServer, database: string) {
  const names = await server.query<{ name: string }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname <> 'pgshift' ORDER BY 1`,
    [],
    database,
  );
  const out: Record<string, string> = {};
  for (const { name } of names) {
    const [row] = await server.query<{ v: string }>(
      `SELECT last_value::text || '/' || is_called::text AS v FROM ${name}`,
      [],
      database,
    );
    out[name] = row?.v ?? '';
  }
  return out;
}

for (const major of SOURCE_BUILT_MAJORS) {
  const { missing } = sourceBuiltBinaries(major);
  describe.skipIf(missing)(
    `full copy from PostgreSQL ${major}${missing ? ` (skipped: ${missing})` : ''}`,
    () => {
      let source: SandboxServer;
      const targets = new Map<number, SandboxServer>();
      const dir = tempDir();

      beforeAll(async () => {
        const started = await Promise.all([
          startPostgres({ major }),
          ...TARGETS.map((t) => startPostgres({ major: t })),
        ]);
        source = started[0]!;
        for (const [i, t] of TARGETS.entries()) targets.set(t, started[i + 1]!);
        await seedLegacy(source, 'legacy');
        // Roles belong to the instance; a database-level migration expects them on the target.
        await Promise.all([...targets.values()].map((t) => t.query('CREATE ROLE legacy_reader')));
      });
      afterAll(async () => {
        await Promise.all([source?.stop(), ...[...targets.values()].map((t) => t.stop())]);
        dir.cleanup();
      });

      for (const mode of ['full', 'full+incremental'] as const) {
        it(`checks in mode ${mode} with no SQL error: every item answers`, async () => {
          const target = targets.get(17)!;
          const config = writeConfig(
            dir,
            `check-${String(major).replace('.', '')}-${mode.length}`,
            source,
            target,
            {
              mode,
              databases: ['legacy'],
            },
          );
          const check = await runCli(['check', '-c', config, '--json']);
          const report = JSON.parse(check.stdout) as {
            items: { id: string; status: string; message: string; remedy?: string }[];
          };
          // What a query a major does not understand says: a missing function, column or relation.
          const broken = report.items.filter((i) =>
            /does not exist|syntax error|could not run|malformed/i.test(i.message),
          );
          expect(broken, check.stdout).toEqual([]);
          const failed = report.items.filter((i) => i.status === 'failed');
          if (mode === 'full') {
            expect(failed, check.stdout).toEqual([]);
            expect(check.code, check.stderr).toBe(0);
          } else if (major < 9.4) {
            // 9.3 cannot be followed: refused by the policy, with the remedy, and nothing else.
            expect(new Set(failed.map((i) => i.id))).toEqual(new Set(['source.version-policy', 'versions']));
            for (const item of failed) expect(item.message).toMatch(/no logical decoding|cannot be followed/);
            expect(check.code).toBe(1);
          } else {
            // The unlogged table cannot be followed, and the keyless inheritance tables not updated.
            expect(failed.map((i) => i.id).sort(), check.stdout).toEqual(['source.unlogged-tables']);
            const keyless = report.items.find((i) => i.id === 'source.tables-without-key');
            expect(keyless?.message).toContain('Old Shop.events_2020');
          }
        });
      }

      for (const targetMajor of TARGETS) {
        it(`copies every object kind into ${targetMajor} exactly`, async () => {
          const target = targets.get(targetMajor)!;
          const name = `legacy-${String(major).replace('.', '')}-to-${targetMajor}`;
          const config = writeConfig(dir, name, source, target, {
            mode: 'full',
            databases: ['legacy'],
            copyPrivileges: true,
          });
          const run = await runCli(['run', '-c', config]);
          expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
          expect(run.stdout).toContain('result: identical');

          const [onSource, onTarget] = await Promise.all([
            legacyHashes(source, 'legacy'),
            legacyHashes(target, 'legacy'),
          ]);
          expect(onTarget).toEqual(onSource);
          expect(await sequenceValues(target, 'legacy')).toEqual(await sequenceValues(source, 'legacy'));

          // Objects without rows of their own: each answers on the target as on the source.
          const probes = [
            `SELECT "Old Shop".order_total(1)::text AS v`,
            `SELECT array_to_string(enum_range(NULL::"Old Shop".mood), ',') AS v`,
            `SELECT obj_description('"Old Shop".customers'::regclass, 'pg_class') AS v`,
            `SELECT has_table_privilege('legacy_reader', '"Old Shop".big_spenders', 'SELECT')::text AS v`,
            `SELECT string_agg(tgname, ',' ORDER BY tgname) AS v FROM pg_trigger WHERE tgrelid = '"Old Shop".orders'::regclass AND NOT tgisinternal`,
            `SELECT string_agg(rulename, ',') AS v FROM pg_rules WHERE tablename = 'cache'`,
            `SELECT string_agg(indexname, ',' ORDER BY indexname) AS v FROM pg_indexes WHERE schemaname = 'Old Shop'`,
            `SELECT relpersistence::text AS v FROM pg_class WHERE oid = '"Old Shop".cache'::regclass`,
            `SELECT relispopulated::text AS v FROM pg_class WHERE oid = '"Old Shop".order_counts'::regclass`,
            `SELECT string_agg(inhparent::regclass::text, ',') AS v FROM pg_inherits WHERE inhrelid = '"Old Shop".events_2020'::regclass`,
          ];
          for (const probe of probes) {
            const [expected] = await source.query<{ v: string }>(probe, [], 'legacy');
            const [actual] = await target.query<{ v: string }>(probe, [], 'legacy');
            expect(actual?.v, probe).toBe(expected?.v);
          }
          // The trigger fires on the target as it does on the source.
          await target.query(
            `INSERT INTO "Old Shop".orders (customer_id, total) VALUES (1, 1)`,
            [],
            'legacy',
          );
          const [audit] = await target.query<{ n: string }>(
            `SELECT count(*) AS n FROM "Old Shop".audit WHERE what LIKE 'INSERT order %'`,
            [],
            'legacy',
          );
          expect(Number(audit?.n)).toBeGreaterThan(6000);
          await recordSupport(source, target, {
            mode: 'full',
            proof: 'every object kind of the legacy dataset; row hashes, sequences and object probes equal',
          });
        });
      }
    },
  );
}

/** Incremental sync from 9.4-9.6 through test_decoding, the plugin every contrib build has. */
for (const major of SOURCE_BUILT_MAJORS.filter((m) => m >= 9.4)) {
  const { missing } = sourceBuiltBinaries(major);
  describe.skipIf(missing)(
    `full+incremental from PostgreSQL ${major}${missing ? ` (skipped: ${missing})` : ''}`,
    () => {
      let source: SandboxServer;
      let target: SandboxServer;
      const dir = tempDir();

      beforeAll(async () => {
        [source, target] = await Promise.all([startPostgres({ major }), startPostgres({ major: 17 })]);
        await seedLegacy(source, 'legacy');
        // UPDATE and DELETE of a keyless table travel only with the whole old row; an unlogged
        // table writes no WAL to follow (the full copy above carries one).
        await source.query(
          `ALTER TABLE "Old Shop".keyless REPLICA IDENTITY FULL;
           ALTER TABLE "Old Shop".events REPLICA IDENTITY FULL;
           ALTER TABLE "Old Shop".events_2020 REPLICA IDENTITY FULL;
           DROP TABLE "Old Shop".cache`,
          [],
          'legacy',
        );
        await target.query('CREATE ROLE legacy_reader');
      });
      afterAll(async () => {
        await Promise.all([source?.stop(), target?.stop()]);
        dir.cleanup();
      });

      it('follows a writer through a SIGKILL and a resume, finishes exact, leaves no slot', async () => {
        const name = `legacy-inc-${String(major).replace('.', '')}`;
        const config = writeConfig(dir, name, source, target, { databases: ['legacy'] });
        const stateDir = `${dir.dir}/${name}-state`;

        const check = await runCli(['check', '-c', config, '--json']);
        const report = JSON.parse(check.stdout) as {
          items: { id: string; status: string; message: string }[];
        };
        const policy = report.items.find((i) => i.id === 'source.version-policy');
        // dts_decoding and wal2json are not installed on these servers; test_decoding is.
        expect(policy?.message, check.stdout).toMatch(
          /read through output plugin test_decoding; not usable: dts_decoding .*wal2json/,
        );
        expect(
          report.items.filter((i) => i.status === 'failed'),
          check.stdout,
        ).toEqual([]);

        const writer = startLegacyWriter(source, 'legacy');
        try {
          const first = startCli(['run', '-c', config]);
          await waitFor(
            'following',
            () => readState(stateDir)?.databases.legacy?.phase === 'following',
            120_000,
          );
          const before = writer.count();
          await waitFor('changes applied', () => writer.count() > before + 30, 60_000);
          first.child.kill('SIGKILL');
          await first.exited;
          const down = writer.count();
          await waitFor('changes while down', () => writer.count() > down + 30, 60_000);

          const second = startCli(['run', '-c', config]);
          await waitFor('following again', () => second.output().includes('syncing: started'), 120_000);
          const resumed = writer.count();
          await waitFor('changes after the resume', () => writer.count() > resumed + 30, 60_000);
          await writer.stop();
          const finish = await runCli(['finish', '-c', config]);
          expect(await second.exited, second.output()).toBe(0);
          expect(finish.code, `${finish.stdout}\n${finish.stderr}`).toBe(0);
          expect(second.output()).toContain('result: identical');
        } finally {
          await writer.stop();
        }

        const [onSource, onTarget] = await Promise.all([
          legacyHashes(source, 'legacy', ['"Old Shop".cache']),
          legacyHashes(target, 'legacy', ['"Old Shop".cache']),
        ]);
        // A materialized view holds what its last refresh saw: the target's was refreshed at the
        // copy's snapshot, the source's before the writer started, so their rows differ by design.
        delete onSource['"Old Shop".order_counts'];
        delete onTarget['"Old Shop".order_counts'];
        expect(onTarget).toEqual(onSource);
        expect(await sequenceValues(target, 'legacy')).toEqual(await sequenceValues(source, 'legacy'));
        const [dupes] = await target.query<{ n: string }>(
          'SELECT count(*) AS n FROM (SELECT id FROM "Old Shop".orders GROUP BY id HAVING count(*) > 1) d',
          [],
          'legacy',
        );
        expect(Number(dupes?.n)).toBe(0);
        expect(await source.query('SELECT slot_name FROM pg_replication_slots')).toEqual([]);
        await recordSupport(source, target, {
          mode: 'full+incremental',
          outputPlugin: 'test_decoding',
          proof:
            'writer with TOAST updates, deletes, TRUNCATE and sequences; SIGKILL and resume; exact, no slot left',
        });
      });
    },
  );
}
