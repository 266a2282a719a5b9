import { patternsSelectTable } from '@pgshift/plugin-api';
import { freePort, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSelection, SelectionError } from '../src/checks/resolve-selection.js';
import { runChecks } from '../src/checks/run-checks.js';
import { loadTask } from '../src/load-task.js';
import { fixture, tempDir } from './helpers.js';

const PASSWORD = 'sandbox-pw-Zq9!x';
let pg: SandboxServer;
const tmp = tempDir();

beforeAll(async () => {
  pg = await startPostgres({ major: 17, password: PASSWORD });
  await pg.query('CREATE DATABASE shop');
  await pg.query('CREATE DATABASE "Other.DB"');
  await pg.query(
    `CREATE TABLE public.orders (id int); CREATE TABLE public.audit_log (id int);
     CREATE SCHEMA sales; CREATE TABLE sales.items (id int); CREATE TABLE sales."Odd.Name" (id int);
     CREATE VIEW public.v AS SELECT 1 AS x;`,
    [],
    'shop',
  );
  await pg.query('CREATE TABLE t1 (id int)', [], 'Other.DB');
});

afterAll(async () => {
  await pg?.stop();
  tmp.cleanup();
});

function config(
  name: string,
  extra: { plugins: string[]; sourcePort?: number; objects?: string; mode?: string },
) {
  const conn = pg.connection();
  return tmp.write(
    `${name}.yaml`,
    `task: { name: ${name} }
source: { access: fixture-direct, host: ${conn.host}, port: ${extra.sourcePort ?? conn.port}, user: ${conn.user}, password: { env: PGSHIFT_TEST_PG_PASSWORD } }
target: { access: fixture-direct, host: ${conn.host}, port: ${conn.port}, user: ${conn.user}, password: "${PASSWORD}" }
mode: ${extra.mode ?? 'full+incremental'}
${extra.objects ?? ''}
plugins:
${[fixture('fixture-direct'), ...extra.plugins].map((p) => `  - ${p.startsWith('{') ? p : JSON.stringify(p)}`).join('\n')}
`,
  );
}

describe('resolveSelection', () => {
  const handle = async () => {
    process.env.PGSHIFT_TEST_PG_PASSWORD = PASSWORD;
    const task = await loadTask(config('sel', { plugins: [] }), { firstPartyDefaults: false });
    return { task, server: await task.openServer('source') };
  };

  it('selects the whole instance when objects is absent', async () => {
    const { task, server } = await handle();
    const selection = await resolveSelection(server, {});
    expect(selection.wholeInstance).toBe(true);
    expect(selection.databases.map((d) => d.name)).toEqual(['Other.DB', 'postgres', 'shop']);
    const shop = selection.databases.find((d) => d.name === 'shop');
    expect(shop?.whole).toBe(true);
    expect(shop?.tables).toEqual([
      { schema: 'public', name: 'audit_log' },
      { schema: 'public', name: 'orders' },
      { schema: 'sales', name: 'Odd.Name' },
      { schema: 'sales', name: 'items' },
    ]);
    await task.close();
  });

  it('narrows by databases, include and exclude patterns, with quoted parts', async () => {
    const { task, server } = await handle();
    const excluded = await resolveSelection(server, {
      databases: ['shop'],
      exclude: ['shop.public.audit_log'],
    });
    expect(excluded.wholeInstance).toBe(false);
    expect(excluded.databases).toEqual([
      {
        name: 'shop',
        whole: false,
        tables: [
          { schema: 'public', name: 'orders' },
          { schema: 'sales', name: 'Odd.Name' },
          { schema: 'sales', name: 'items' },
        ],
        patterns: { include: [], exclude: [{ schema: '^public$', table: '^audit_log$' }] },
      },
    ]);
    const included = await resolveSelection(server, { include: ['shop.sales."Odd.Name"', '"Other.DB"'] });
    expect(included.databases).toEqual([
      {
        name: 'Other.DB',
        whole: true,
        tables: [{ schema: 'public', name: 't1' }],
        patterns: { include: [{}], exclude: [] },
      },
      {
        name: 'shop',
        whole: false,
        tables: [{ schema: 'sales', name: 'Odd.Name' }],
        patterns: { include: [{ schema: '^sales$', table: '^Odd\\.Name$' }], exclude: [] },
      },
    ]);
    const wild = await resolveSelection(server, {
      databases: ['shop'],
      include: ['*.sales.*'],
      exclude: ['shop.*.i*'],
    });
    expect(wild.databases[0]?.tables).toEqual([{ schema: 'sales', name: 'Odd.Name' }]);
    // Tables created later are judged by the same patterns (schema changes followed during sync).
    const patterns = wild.databases[0]?.patterns ?? { include: [], exclude: [] };
    expect(patternsSelectTable(patterns, 'sales', 'new_table')).toBe(true);
    expect(patternsSelectTable(patterns, 'sales', 'items_2024')).toBe(false);
    expect(patternsSelectTable(patterns, 'public', 'new_table')).toBe(false);
    await expect(resolveSelection(server, { databases: ['shop', 'nope'] })).rejects.toThrow(SelectionError);
    await expect(resolveSelection(server, { databases: ['shop', 'nope'] })).rejects.toThrow(/"nope"/);
    await task.close();
  });
});

describe('runChecks', () => {
  beforeAll(() => {
    process.env.PGSHIFT_TEST_PG_PASSWORD = PASSWORD;
  });

  it('runs every checker, picks the covering policy and turns a throwing checker into a redacted Failed item', async () => {
    const file = config('checks', {
      plugins: [
        fixture('fixture-policy'),
        `{ use: ${JSON.stringify(fixture('fixture-check-a'))}, options: { outcome: warning } }`,
        `{ use: ${JSON.stringify(fixture('fixture-check-b'))}, options: { outcome: throw, token: tok-55aa77 } }`,
      ],
      objects: 'objects: { databases: [shop] }',
    });
    const task = await loadTask(file, { firstPartyDefaults: false });
    try {
      const report = await runChecks(task);
      expect(report.items.map((i) => [i.id, i.status])).toEqual([
        ['fixture.check-b', 'failed'],
        ['fixture.check-a', 'warning'],
        ['source.version-policy', 'pass'],
      ]);
      expect(report.items[0]?.message).toBe('the check could not run: exploded while checking [redacted]');
      expect(report.items[1]?.message).toBe('a saw 1 and 1 database(s)');
      expect(report.summary).toEqual({ pass: 1, warning: 1, failed: 1, total: 3 });
      expect(report.ok).toBe(false);
      expect(report.policy).toBe('fixture-policy');
      expect(report.versions.source?.major).toBe(17);
    } finally {
      await task.close();
    }
  });

  it('fails source.version-policy when no policy covers the source, and times out a hanging checker', async () => {
    const file = config('nopolicy', {
      plugins: [`{ use: ${JSON.stringify(fixture('fixture-check-a'))}, options: { outcome: hang } }`],
    });
    const task = await loadTask(file, { firstPartyDefaults: false });
    try {
      const report = await runChecks(task, { timeoutMs: 300 });
      expect(report.items.map((i) => [i.id, i.status])).toEqual([
        ['fixture.check-a', 'failed'],
        ['source.version-policy', 'failed'],
      ]);
      expect(report.items[0]?.message).toBe('the check could not run: did not finish within 300 ms');
      expect(report.items[1]?.message).toMatch(
        /^no version policy covers the source's PostgreSQL 17\.\d+ \(server_version_num 17\d{4}\)$/,
      );
    } finally {
      await task.close();
    }
  });

  it('reports an unreachable source as a Failed connection item without running checkers', async () => {
    const file = config('unreachable', {
      plugins: [fixture('fixture-policy'), fixture('fixture-check-a')],
      sourcePort: await freePort(),
    });
    const task = await loadTask(file, { firstPartyDefaults: false });
    try {
      const report = await runChecks(task);
      expect(report.items.map((i) => [i.id, i.status])).toEqual([['source.connection', 'failed']]);
      expect(report.items[0]?.message).toMatch(/^cannot connect to the source: .*ECONNREFUSED/);
      expect(report.versions.target?.major).toBe(17);
    } finally {
      await task.close();
    }
  });
});
