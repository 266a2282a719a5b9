import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataChange, RelationIdentity, Row } from '../src/model.js';
import { connect, countQueries, createDatabase, openApplier } from './helpers.js';

let server: SandboxServer;

beforeAll(async () => {
  server = await startPostgres({ major: 17 });
});

afterAll(async () => {
  await server?.stop();
});

const KEY: RelationIdentity = { replicaIdentity: 'default', keyColumns: ['id'] };
const row = (values: Record<string, string | null | undefined>): Row =>
  Object.assign(Object.create(null), values);

async function applierOn(database: string, ddl: string) {
  const c = server.connection();
  await createDatabase(c, database);
  await server.query(ddl, [], database);
  const client = await connect(c, database);
  return { client, applier: await openApplier(client, database) };
}

/** A small deterministic PRNG, so a failing sequence can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

type Model = Map<number, { v: string; big: string }>;

/**
 * Random changes to `t` as a source would emit them, and the source's resulting rows. Updates
 * sometimes leave the TOASTed column out (undefined: unchanged), sometimes change the key.
 */
function randomChanges(seed: number, count: number, model: Model): DataChange[] {
  const random = prng(seed);
  const rel = { schema: 'public', name: 't' };
  const changes: DataChange[] = [];
  const pick = () => [...model.keys()][Math.floor(random() * model.size)] as number;
  for (let i = 0; i < count; i++) {
    const roll = random();
    const id = Math.floor(random() * 60) + 1;
    if (roll < 0.3 || model.size === 0) {
      if (model.has(id)) continue;
      const value = { v: `v${i} it's \\ ☃`, big: `big-${i}-${'x'.repeat(50)}` };
      model.set(id, value);
      changes.push({ kind: 'insert', relation: rel, new: row({ id: String(id), ...value }) });
    } else if (roll < 0.7) {
      const target = pick();
      const current = model.get(target) as { v: string; big: string };
      const keepBig = random() < 0.5;
      const next = { v: `u${i}`, big: keepBig ? current.big : `big-u${i}` };
      model.set(target, next);
      changes.push({
        kind: 'update',
        relation: rel,
        new: row({ id: String(target), v: next.v, big: keepBig ? undefined : next.big }),
      });
    } else if (roll < 0.8) {
      const from = pick();
      if (model.has(id)) continue;
      const current = model.get(from) as { v: string; big: string };
      model.delete(from);
      model.set(id, { ...current, v: `k${i}` });
      changes.push({
        kind: 'update',
        relation: rel,
        old: row({ id: String(from) }),
        new: row({ id: String(id), v: `k${i}`, big: undefined }),
      });
    } else {
      const target = pick();
      model.delete(target);
      changes.push({ kind: 'delete', relation: rel, old: row({ id: String(target) }) });
    }
  }
  return changes;
}

async function tableRows(database: string) {
  return server.query<{ id: number; v: string; big: string }>(
    'SELECT id, v, big FROM t ORDER BY id',
    [],
    database,
  );
}

const modelRows = (model: Model) =>
  [...model.entries()].sort((a, b) => a[0] - b[0]).map(([id, value]) => ({ id, ...value }));

describe('folding a group’s changes per key', () => {
  it('ends with exactly the source’s rows over random inserts, updates (TOAST kept, keys changed) and deletes', async () => {
    const { client, applier } = await applierOn(
      'fold_random',
      'CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, big text NOT NULL)',
    );
    try {
      expect(applier.folding).toBe(true);
      const model: Model = new Map();
      for (let group = 0; group < 8; group++) {
        for (const change of randomChanges(1000 + group, 400, model)) await applier.apply(change, KEY);
        await applier.commit({ endLsn: `0/${(group + 1) * 100}` });
        expect(await tableRows('fold_random')).toEqual(modelRows(model));
      }
      expect(applier.missingRows).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('turns hundreds of one-row changes into one statement per kind', async () => {
    const { client, applier } = await applierOn(
      'fold_count',
      `CREATE TABLE acc (id int PRIMARY KEY, bal int NOT NULL);
       CREATE TABLE hist (id int PRIMARY KEY, acc int NOT NULL);
       INSERT INTO acc SELECT g, 0 FROM generate_series(1, 10) g;`,
    );
    try {
      const sent = countQueries(client).texts;
      const acc = { schema: 'public', name: 'acc' };
      const hist = { schema: 'public', name: 'hist' };
      for (let i = 1; i <= 300; i++) {
        const id = String((i % 10) + 1);
        await applier.apply({ kind: 'update', relation: acc, new: row({ id, bal: String(i) }) }, KEY);
        await applier.apply({ kind: 'insert', relation: hist, new: row({ id: String(i), acc: id }) }, KEY);
      }
      await applier.commit({ endLsn: '0/10' });
      const script = sent
        .filter((t) => t.includes('"public"."acc"') || t.includes('"public"."hist"'))
        .join(';\n');
      // 300 updates of 10 rows fold into one UPDATE of 10 rows; 300 inserts into one INSERT.
      expect(script.match(/UPDATE "public"."acc"/g)?.length).toBe(1);
      expect(script.match(/INSERT INTO "public"."hist"/g)?.length).toBe(1);
      const [state] = await server.query<{ total: number; history: number }>(
        'SELECT (SELECT sum(bal)::int FROM acc) AS total, (SELECT count(*)::int FROM hist) AS history',
        [],
        'fold_count',
      );
      // Each account keeps its last balance: 291..300.
      expect(state).toEqual({ total: 2955, history: 300 });
    } finally {
      await client.end();
    }
  });

  it('keeps source order on a table with another unique index (a swap of unique values succeeds)', async () => {
    const { client, applier } = await applierOn(
      'fold_unique',
      `CREATE TABLE u (id int PRIMARY KEY, code text NOT NULL UNIQUE);
       INSERT INTO u VALUES (1, 'a'), (2, 'b');`,
    );
    try {
      const rel = { schema: 'public', name: 'u' };
      const set = (id: number, code: string): DataChange => ({
        kind: 'update',
        relation: rel,
        new: row({ id: String(id), code }),
      });
      // Folded per key this would be one UPDATE setting 1 -> b and 2 -> a: a unique violation.
      for (const change of [set(1, 'tmp'), set(2, 'a'), set(1, 'b')]) await applier.apply(change, KEY);
      await applier.commit({ endLsn: '0/20' });
      expect(await server.query('SELECT id, code FROM u ORDER BY id', [], 'fold_unique')).toEqual([
        { id: 1, code: 'b' },
        { id: 2, code: 'a' },
      ]);
    } finally {
      await client.end();
    }
  });

  it('folds a unique index that contains the key, and a delete and insert of one key in order', async () => {
    const { client, applier } = await applierOn(
      'fold_replace',
      `CREATE TABLE r (id int PRIMARY KEY, v text, UNIQUE (v, id));
       INSERT INTO r VALUES (1, 'one');`,
    );
    try {
      const sent = countQueries(client).texts;
      const rel = { schema: 'public', name: 'r' };
      await applier.apply({ kind: 'delete', relation: rel, old: row({ id: '1' }) }, KEY);
      await applier.apply({ kind: 'insert', relation: rel, new: row({ id: '1', v: 'again' }) }, KEY);
      await applier.apply({ kind: 'update', relation: rel, new: row({ id: '1', v: 'final' }) }, KEY);
      await applier.apply({ kind: 'insert', relation: rel, new: row({ id: '2', v: 'gone' }) }, KEY);
      await applier.apply({ kind: 'delete', relation: rel, old: row({ id: '2' }) }, KEY);
      await applier.commit({ endLsn: '0/30' });
      const script = sent.join(';\n');
      // Delete of 1, then insert of 1 with its last values; row 2 came and went without a statement.
      expect(script.indexOf('DELETE FROM "public"."r"')).toBeLessThan(
        script.indexOf('INSERT INTO "public"."r"'),
      );
      expect(script).not.toMatch(/'gone'/);
      expect(await server.query('SELECT id, v FROM r ORDER BY id', [], 'fold_replace')).toEqual([
        { id: 1, v: 'final' },
      ]);
      expect(applier.missingRows).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('applies in source order, foreign keys checked, when the session cannot take replica role', async () => {
    const database = 'fold_no_replica_role';
    const c = server.connection();
    await createDatabase(c, database);
    await server.query(
      `DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'plain_applier') THEN
         CREATE ROLE plain_applier LOGIN; END IF; END$$;
       CREATE TABLE parent (id int PRIMARY KEY, v text);
       CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent (id));
       INSERT INTO parent VALUES (1, 'one'), (2, 'two');
       INSERT INTO child VALUES (1, 1);
       GRANT ALL ON SCHEMA public TO plain_applier;
       GRANT ALL ON ALL TABLES IN SCHEMA public TO plain_applier;
       GRANT CREATE ON DATABASE ${database} TO plain_applier;`,
      [],
      database,
    );
    const client = await connect({ ...c, user: 'plain_applier' }, database);
    try {
      const applier = await openApplier(client, database);
      expect(applier.replicaRole).toBe(false);
      expect(applier.folding).toBe(false);
      const parent = { schema: 'public', name: 'parent' };
      const child = { schema: 'public', name: 'child' };
      // Folded per table, parent's DELETE would run before child's and break the foreign key.
      await applier.apply({ kind: 'update', relation: parent, new: row({ id: '2', v: 'changed' }) }, KEY);
      await applier.apply({ kind: 'delete', relation: child, old: row({ id: '1' }) }, KEY);
      await applier.apply({ kind: 'delete', relation: parent, old: row({ id: '1' }) }, KEY);
      await applier.commit({ endLsn: '0/50' });
      expect(await server.query('SELECT id, v FROM parent ORDER BY id', [], database)).toEqual([
        { id: 2, v: 'changed' },
      ]);
      expect(await server.query('SELECT count(*)::int AS n FROM child', [], database)).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
  });

  it('applies in source order when a target trigger fires in replica role', async () => {
    const { client, applier } = await applierOn(
      'fold_trigger',
      `CREATE TABLE t (id int PRIMARY KEY, v text);
       CREATE TABLE seen (n serial PRIMARY KEY, id int, v text);
       CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS
         $$BEGIN INSERT INTO seen (id, v) VALUES (NEW.id, NEW.v); RETURN NEW; END$$;
       CREATE TRIGGER note AFTER INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION note();
       ALTER TABLE t ENABLE ALWAYS TRIGGER note;`,
    );
    try {
      expect(applier.folding).toBe(false);
      const rel = { schema: 'public', name: 't' };
      await applier.apply({ kind: 'insert', relation: rel, new: row({ id: '1', v: 'a' }) }, KEY);
      await applier.apply({ kind: 'update', relation: rel, new: row({ id: '1', v: 'b' }) }, KEY);
      await applier.commit({ endLsn: '0/40' });
      // The trigger saw both changes, as the source made them.
      expect(await server.query('SELECT id, v FROM seen ORDER BY n', [], 'fold_trigger')).toEqual([
        { id: 1, v: 'a' },
        { id: 1, v: 'b' },
      ]);
    } finally {
      await client.end();
    }
  });
});
