import { type SandboxServer, sourceBuiltBinaries, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { show, task } from '../tasks-support.js';
import { readState, startCli, tableFingerprints, tempDir, waitFor, writeConfig } from './support.js';
import { startTransactionLoop } from './workload.js';

/**
 * Schema changes made on the source while `pgshift run` follows it under a writer (issue 19): each
 * is on the target in order with the rows, and an independent compare after finish finds no
 * difference in rows or definitions. From a 10+ source (pgoutput) and a 9.5 one (test_decoding).
 */
const SCHEMA = `
CREATE TYPE mood AS ENUM ('calm', 'glad');
CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL, balance numeric(12,2) DEFAULT 0);
CREATE TABLE moves (id bigserial PRIMARY KEY, account_id int REFERENCES accounts (id), amount numeric(12,2),
                    at timestamptz DEFAULT now());
INSERT INTO accounts (name) SELECT 'account ' || g FROM generate_series(1, 200) g;
INSERT INTO moves (account_id, amount) SELECT 1 + g % 200, g FROM generate_series(1, 2000) g;`;

/** The schema changes of the issue, each followed by rows that need it. */
const CHANGES = [
  "ALTER TABLE moves ADD COLUMN channel text NOT NULL DEFAULT 'web'",
  "INSERT INTO moves (account_id, amount, channel) VALUES (1, 5, 'app')",
  'ALTER TABLE accounts ADD COLUMN note text',
  "UPDATE accounts SET note = 'vip' WHERE id % 10 = 0",
  'ALTER TABLE accounts RENAME COLUMN note TO remark',
  'ALTER TABLE accounts ALTER COLUMN remark TYPE varchar(200)',
  "UPDATE accounts SET remark = remark || '!' WHERE remark IS NOT NULL",
  'ALTER TABLE accounts DROP COLUMN remark',
  `CREATE TABLE refunds (id serial PRIMARY KEY, move_id bigint REFERENCES moves (id), amount numeric(12,2));
   INSERT INTO refunds (move_id, amount) SELECT id, amount / 2 FROM moves WHERE id <= 50`,
  'CREATE INDEX moves_at ON moves (at)',
  'CREATE VIEW big_moves AS SELECT id, amount FROM moves WHERE amount > 1000',
  "ALTER TYPE mood ADD VALUE 'wary'",
  'CREATE TABLE feelings (id int PRIMARY KEY, m mood NOT NULL)',
  "INSERT INTO feelings VALUES (1, 'wary'), (2, 'glad')",
  'CREATE SEQUENCE tickets START 500',
  "CREATE TABLE tickets_issued (id bigint PRIMARY KEY DEFAULT nextval('tickets'), what text)",
  "INSERT INTO tickets_issued (what) SELECT 'ticket ' || g FROM generate_series(1, 7) g",
];
const TABLES = ['accounts', 'moves', 'refunds', 'feelings', 'tickets_issued'];

/** Columns (type, nullability, default), indexes, views and enum labels, as any major prints them. */
async function definitions(server: SandboxServer): Promise<string[]> {
  const rows = await server.query<{ d: string }>(
    `SELECT format('%s.%s %s %s %s', table_name, column_name, data_type, is_nullable, column_default) AS d
       FROM information_schema.columns WHERE table_schema = 'public'
     UNION ALL SELECT replace(indexdef, ' ON public.', ' ON ') FROM pg_indexes WHERE schemaname = 'public'
     UNION ALL SELECT 'view ' || viewname FROM pg_views WHERE schemaname = 'public'
     UNION ALL SELECT 'enum ' || string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum
     ORDER BY 1`,
    [],
    'bank',
  );
  return rows.map((r) => r.d);
}

function startWriter(source: SandboxServer) {
  return startTransactionLoop(source, 'bank', (i) => [
    `INSERT INTO moves (account_id, amount) VALUES (${1 + (i % 200)}, ${i})`,
    `UPDATE accounts SET balance = balance + 1 WHERE id = ${1 + (i % 200)}`,
  ]);
}

const old = sourceBuiltBinaries(9.5);

for (const major of [15, 9.5]) {
  const skip = major === 9.5 ? old.missing : undefined;
  describe.skipIf(skip)(
    `schema changes during sync from ${major}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let source: SandboxServer;
      let target: SandboxServer;
      const dir = tempDir();

      beforeAll(async () => {
        [source, target] = await Promise.all([startPostgres({ major }), startPostgres({ major: 17 })]);
        await source.query('CREATE DATABASE bank');
        await source.query(SCHEMA, [], 'bank');
      });
      afterAll(async () => {
        await Promise.all([source?.stop(), target?.stop()]);
        dir.cleanup();
      });

      it('ddl: replicate (the default): every change is on the target in order with the rows', async () => {
        const name = `ddl-${String(major).replace('.', '')}`;
        const config = writeConfig(dir, name, source, target, { databases: ['bank'] });
        const stateDir = `${dir.dir}/${name}-state`;
        const writer = startWriter(source);
        const run = startCli(['run', '-c', config]);
        try {
          await waitFor(
            'following',
            () => readState(stateDir)?.databases.bank?.phase === 'following',
            120_000,
          );
          for (const sql of CHANGES) await source.query(sql, [], 'bank');
          const after = writer.count();
          await waitFor('writes after the changes', () => writer.count() > after + 20, 60_000);
          await writer.stop();
          const finish = await runCli(['finish', '-c', config]);
          expect(await run.exited, run.output()).toBe(0);
          expect(finish.code, `${finish.stdout}\n${finish.stderr}`).toBe(0);
          expect(run.output()).toContain(
            'schema change applied in bank (bank:1): ALTER TABLE moves ADD COLUMN channel',
          );
        } finally {
          await writer.stop();
          if (run.child.exitCode === null) run.child.kill('SIGKILL');
        }
        // The task's state keeps them: pgshift status shows how many, and the latest.
        const status = await runCli(['status', '-c', config]);
        expect(status.stdout).toMatch(
          /schema changes: bank 12; latest applied .*CREATE TABLE tickets_issued/,
        );
        expect(await tableFingerprints(target, 'bank', TABLES)).toEqual(
          await tableFingerprints(source, 'bank', TABLES),
        );
        expect(await definitions(target)).toEqual(await definitions(source));
        // finish sets sequences exactly, the new one included.
        const sequence = 'SELECT last_value::text AS v FROM tickets';
        expect(await target.query(sequence, [], 'bank')).toEqual(await source.query(sequence, [], 'bank'));
        // Nothing of pgshift's is left on the source.
        expect(
          await source.query(
            "SELECT evtname FROM pg_event_trigger WHERE evtname LIKE 'pgshift%'",
            [],
            'bank',
          ),
        ).toEqual([]);
        expect(
          await source.query("SELECT nspname FROM pg_namespace WHERE nspname = 'pgshift'", [], 'bank'),
        ).toEqual([]);
      });
    },
  );
}

describe('ddl: stop', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    await source.query('CREATE DATABASE bank');
    await source.query(SCHEMA, [], 'bank');
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it('halts before the change with the remedy; applied by hand and resumed, the result is exact', async () => {
    const config = writeConfig(dir, 'ddl-stop', source, target, {
      databases: ['bank'],
      options: { ddl: 'stop' },
    });
    const stateDir = `${dir.dir}/ddl-stop-state`;
    const writer = startWriter(source);
    try {
      const first = startCli(['run', '-c', config]);
      await waitFor('following', () => readState(stateDir)?.databases.bank?.phase === 'following', 120_000);
      await source.query("ALTER TABLE moves ADD COLUMN channel text NOT NULL DEFAULT 'web'", [], 'bank');
      await source.query("INSERT INTO moves (account_id, amount, channel) VALUES (1, 5, 'app')", [], 'bank');
      expect(await first.exited, first.output()).toBe(1);
      const output = first.output();
      expect(output).toContain('ALTER TABLE moves ADD COLUMN channel');
      const applied = /--ddl-applied (bank:\d+)/.exec(output)?.[1];
      expect(applied, output).toBeDefined();
      expect(output).not.toMatch(/\n\s+at /); // no stack trace without --verbose

      await target.query("ALTER TABLE moves ADD COLUMN channel text NOT NULL DEFAULT 'web'", [], 'bank');
      const second = startCli(['run', '-c', config, '--ddl-applied', applied!]);
      const resumed = writer.count();
      await waitFor('writes after the resume', () => writer.count() > resumed + 20, 60_000);
      await writer.stop();
      const finish = await runCli(['finish', '-c', config]);
      expect(finish.code, `${finish.stdout}\n${finish.stderr}`).toBe(0);
      expect(await second.exited, second.output()).toBe(0);
    } finally {
      await writer.stop();
    }
    const tables = ['accounts', 'moves'];
    expect(await tableFingerprints(target, 'bank', tables)).toEqual(
      await tableFingerprints(source, 'bank', tables),
    );
    expect(await definitions(target)).toEqual(await definitions(source));
  });

  it('a stored task stops the same way, and task start --ddl-applied resumes it under a worker', async () => {
    await source.query('CREATE DATABASE bank_stored');
    await source.query(SCHEMA, [], 'bank_stored');
    const store = `${dir.dir}/store`;
    const config = writeConfig(dir, 'ddl-stored', source, target, {
      databases: ['bank_stored'],
      options: { ddl: 'stop' },
    });
    await task(store, ['create', '-c', config]);
    await task(store, ['start', 'ddl-stored']);
    const worker = startCli(['worker', '--store', store, '--poll', '0.3']);
    try {
      await waitFor(
        'following',
        async () => (await show(store, 'ddl-stored')).run?.databases.bank_stored?.phase === 'following',
        120_000,
      );
      await source.query('ALTER TABLE accounts ADD COLUMN tier int NOT NULL DEFAULT 1', [], 'bank_stored');
      await source.query("INSERT INTO accounts (name, tier) VALUES ('gold', 3)", [], 'bank_stored');
      await waitFor('stopped', async () => (await show(store, 'ddl-stored')).status === 'failed', 60_000);
      const shownFailed = (await show(store, 'ddl-stored')) as { error?: { code: string; remedy?: string } };
      expect(shownFailed.error?.code).toBe('PGSHIFT_REPL_DDL_STOPPED');
      const applied = /--ddl-applied (bank_stored:\d+)/.exec(shownFailed.error?.remedy ?? '')?.[1];
      expect(applied, JSON.stringify(shownFailed.error)).toBeDefined();

      await target.query('ALTER TABLE accounts ADD COLUMN tier int NOT NULL DEFAULT 1', [], 'bank_stored');
      await task(store, ['start', 'ddl-stored', '--ddl-applied', applied!]);
      await waitFor(
        'following again',
        async () => {
          const s = await show(store, 'ddl-stored');
          return s.status === 'running' && s.run?.databases.bank_stored?.phase === 'following';
        },
        60_000,
      );
      await source.query("INSERT INTO accounts (name, tier) VALUES ('silver', 2)", [], 'bank_stored');
      const finish = await task(store, ['finish', 'ddl-stored']);
      expect(JSON.parse(finish.stdout).status).toBe('completed');
    } finally {
      (await import('node:fs')).writeFileSync(
        '/tmp/worker-out.txt',
        worker.output() + JSON.stringify(await show(store, 'ddl-stored'), null, 1),
      );
      worker.child.kill('SIGKILL');
    }
    const tables = ['accounts', 'moves'];
    expect(await tableFingerprints(target, 'bank_stored', tables)).toEqual(
      await tableFingerprints(source, 'bank_stored', tables),
    );
    const history = (await show(store, 'ddl-stored')).history.map((h) => h.note ?? '');
    expect(history.some((note) => note.startsWith('schema change applied by hand'))).toBe(true);
  });
});
