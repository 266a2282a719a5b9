import type { Logger } from '@pgshift/plugin-api';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataChange, RelationIdentity, Row } from '../src/model.js';
import { StatementPipeline } from '../src/pipeline.js';
import { connect, countQueries, createDatabase, openApplier } from './helpers.js';

let server: SandboxServer;

beforeAll(async () => {
  server = await startPostgres({ major: 17 });
});

afterAll(async () => {
  await server?.stop();
});

const KEY: RelationIdentity = { replicaIdentity: 'default', keyColumns: ['id'] };
const acc = { schema: 'public', name: 'acc' };
const hist = { schema: 'public', name: 'hist' };

/** Values that would break naive inlining: quotes, backslashes, placeholders, SQL, unicode, NULL. */
const TRICKY = [
  "it's",
  'back\\slash',
  "E'x\\'",
  'naïve ☃ 𝄞 日本',
  '$1',
  '"quoted" $2',
  '',
  null,
  "'; DROP TABLE acc; --",
  'line\nbreak\ttab',
];

const row = (values: Record<string, string | null>): Row => Object.assign(Object.create(null), values);

interface Warning {
  message: string;
  fields?: Record<string, unknown>;
}

function recordingLogger(warnings: Warning[]): Logger {
  const logger: Logger = {
    debug() {},
    info() {},
    warn(message, fields) {
      warnings.push({ message, ...(fields ? { fields } : {}) });
    },
    error() {},
    child: () => logger,
  };
  return logger;
}

async function setup(database: string, options: Partial<{ maxStatements: number }> = {}) {
  const c = server.connection();
  await createDatabase(c, database);
  await server.query(
    `CREATE TABLE acc (id int PRIMARY KEY, bal int NOT NULL, note text);
     CREATE TABLE hist (id bigint PRIMARY KEY, acc int, v text, j jsonb, b bytea, ts timestamptz, arr int[], n numeric);
     INSERT INTO acc SELECT g, 0, NULL FROM generate_series(1, 10) g;`,
    [],
    database,
  );
  const client = await connect(c, database);
  const warnings: Warning[] = [];
  const applier = await openApplier(
    client,
    database,
    options.maxStatements ? { pipelineMaxStatements: options.maxStatements } : {},
    recordingLogger(warnings),
  );
  return { client, applier, warnings };
}

function update(id: number, bal: number, note: string | null): DataChange {
  return { kind: 'update', relation: acc, new: row({ id: String(id), bal: String(bal), note }) };
}

function historyRow(id: number) {
  return {
    id: String(id),
    acc: String((id % 10) + 1),
    v: TRICKY[id % TRICKY.length] ?? null,
    j: `{"k": "a\\"b\\\\c ${id}", "u": "☃"}`,
    b: id % 2 === 0 ? '\\x00ff27' : null,
    ts: '2024-01-02 03:04:05.123456+00',
    arr: '{1,NULL,3}',
    n: `${id}.50`,
  };
}

async function historyText(database: string) {
  return server.query<Record<string, string | null>>(
    `SELECT id::text, acc::text, v, j::text, b::text, (ts AT TIME ZONE 'UTC')::text || '+00' AS ts,
            arr::text, n::text
       FROM hist ORDER BY hist.id`,
    [],
    database,
  );
}

describe('pipelined apply', () => {
  it('applies an interleaved pgbench-like group in a handful of round trips, values exact', async () => {
    const { client, applier, warnings } = await setup('interleaved');
    try {
      const sent = countQueries(client);
      const transactions = 200;
      for (let i = 1; i <= transactions; i++) {
        // Alternating tables: every batch holds one row, as with pgbench.
        await applier.apply(update((i % 10) + 1, i, TRICKY[i % TRICKY.length] ?? null), KEY);
        await applier.apply({ kind: 'insert', relation: hist, new: row(historyRow(i)) }, undefined);
      }
      await applier.commit({ endLsn: '0/1000' });
      // 400 statements; one at a time this would be 400+ round trips.
      expect(sent.count).toBeLessThan(12);
      expect(sent.texts.filter((t) => t.includes('INSERT INTO "public"."hist"')).length).toBe(1);
      expect(applier.missingRows).toBe(0);
      expect(warnings).toEqual([]);
      expect(applier.inTransaction).toBe(false);

      const expected = Array.from({ length: transactions }, (_, k) => historyRow(k + 1));
      expect(await historyText('interleaved')).toEqual(expected);
      const accounts = await server.query<{ id: string; bal: string; note: string | null }>(
        'SELECT id::text, bal::text, note FROM acc ORDER BY acc.id',
        [],
        'interleaved',
      );
      // The last of the 200 updates of each account wins, in source order.
      expect(accounts).toEqual(
        Array.from({ length: 10 }, (_, k) => {
          const last = k === 0 ? 200 : 190 + k;
          return { id: String(k + 1), bal: String(last), note: TRICKY[last % TRICKY.length] ?? null };
        }),
      );
      const [progress] = await server.query<{ end_lsn: string }>(
        'SELECT end_lsn::text FROM pgshift.apply_progress WHERE slot_name = $1',
        ['slot_interleaved'],
        'interleaved',
      );
      expect(progress?.end_lsn).toBe('0/1000');
    } finally {
      await client.end();
    }
  });

  it('still checks every statement’s row count, in order, and names the table of a missing row', async () => {
    const { client, applier, warnings } = await setup('diverged', { maxStatements: 4 });
    try {
      for (let i = 1; i <= 9; i++) {
        await applier.apply(update(i === 5 ? 999 : i, 100 + i, null), KEY);
        await applier.apply({ kind: 'insert', relation: hist, new: row(historyRow(i)) }, undefined);
      }
      await applier.apply({ kind: 'delete', relation: acc, old: row({ id: '998' }) }, KEY);
      await applier.commit({ endLsn: '0/2000' });
      expect(applier.missingRows).toBe(2);
      expect(warnings.map((w) => w.fields)).toEqual([
        { table: '"public"."acc"', missing: 1 },
        { table: '"public"."acc"', missing: 1 },
      ]);
      const [counts] = await server.query<{ changed: number; history: number }>(
        'SELECT (SELECT count(*)::int FROM acc WHERE bal > 100) AS changed, (SELECT count(*)::int FROM hist) AS history',
        [],
        'diverged',
      );
      expect(counts).toEqual({ changed: 8, history: 9 });
    } finally {
      await client.end();
    }
  });

  it('a failing statement among many aborts the whole group with the apply error; nothing is committed', async () => {
    const { client, applier } = await setup('failing', { maxStatements: 4 });
    try {
      await server.query("INSERT INTO hist (id, v) VALUES (7, 'already there')", [], 'failing');
      let failure: unknown;
      try {
        for (let i = 1; i <= 20; i++) {
          await applier.apply(update((i % 10) + 1, 500 + i, null), KEY);
          const values = { ...historyRow(i), v: `secret-value-${i}` };
          await applier.apply({ kind: 'insert', relation: hist, new: row(values) }, undefined);
        }
        await applier.commit({ endLsn: '0/3000' });
      } catch (error) {
        failure = error;
        await applier.rollback();
      }
      expect(failure).toMatchObject({
        code: 'PGSHIFT_REPL_APPLY',
        remedy: expect.stringMatching(/rolled back/),
      });
      const error = failure as Error & { details?: Record<string, unknown> };
      expect(error.message).toMatch(/applying a change on the target failed: .*duplicate key/);
      expect(String(error.details?.statement)).toMatch(/^INSERT INTO "public"."hist"/);
      // Row values are not copied into the error.
      expect(JSON.stringify(error.details)).not.toMatch(/secret-value/);
      const [state] = await server.query<{ changed: number; history: number; progress: number }>(
        `SELECT (SELECT count(*)::int FROM acc WHERE bal > 0) AS changed,
                (SELECT count(*)::int FROM hist) AS history,
                (SELECT count(*)::int FROM pgshift.apply_progress) AS progress`,
        [],
        'failing',
      );
      expect(state).toEqual({ changed: 0, history: 1, progress: 0 });
      expect(applier.inTransaction).toBe(false);
    } finally {
      await client.end();
    }
  });

  it('sends at most maxStatements per round trip and holds at most maxBytes of rendered SQL', async () => {
    const c = server.connection();
    await createDatabase(c, 'bounded');
    await server.query('CREATE TABLE k (id int PRIMARY KEY, v text)', [], 'bounded');
    const client = await connect(c, 'bounded');
    try {
      const sent = countQueries(client);
      const maxBytes = 400;
      const pipeline = new StatementPipeline(client, { maxStatements: 7, maxBytes }, () => {});
      await client.query('BEGIN');
      let peak = 0;
      for (let i = 1; i <= 40; i++) {
        const v = i % 3 === 0 ? 'x'.repeat(120) : `☃ ${i}`;
        await pipeline.add(
          { text: 'INSERT INTO "k" ("id", "v") VALUES ($1::int4, $2::text)', values: [String(i), v] },
          '"public"."k"',
        );
        peak = Math.max(peak, pipeline.pendingBytes);
        expect(pipeline.pendingStatements).toBeLessThanOrEqual(7);
      }
      await pipeline.send();
      await client.query('COMMIT');
      expect(peak).toBeLessThanOrEqual(maxBytes);
      const scripts = sent.texts.filter((t) => t.startsWith('INSERT'));
      expect(scripts.length).toBeGreaterThanOrEqual(Math.ceil(40 / 7));
      expect(scripts.length).toBeLessThan(40);
      for (const script of scripts) expect(script.split(';\n').length).toBeLessThanOrEqual(7);
      const [count] = await server.query<{ n: number; long: number }>(
        "SELECT count(*)::int AS n, count(*) FILTER (WHERE v = repeat('x', 120))::int AS long FROM k",
        [],
        'bounded',
      );
      expect(count).toEqual({ n: 40, long: 13 });
    } finally {
      await client.end();
    }
  });
});
