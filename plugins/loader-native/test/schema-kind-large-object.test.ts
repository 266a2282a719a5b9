import {
  applyStatements,
  copyLargeObjects,
  formatVerifyReport,
  readSchemaObjects,
  verifyDatabase,
} from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSchema } from '../src/index.js';
import { copySchema, freshDatabase } from './schema-helpers.js';

let pg17: SandboxServer;
let pg10: SandboxServer;
const clients: pg.Client[] = [];

beforeAll(async () => {
  [pg17, pg10] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 10 })]);
  for (const server of [pg17, pg10])
    await server.query('CREATE ROLE regress_lo_owner; CREATE ROLE regress_lo_reader');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg10?.stop()]);
});

/** Three objects: an empty one, a short one with a comment and owner, 3 MiB with grants. */
const FIXTURE = [
  `SELECT lo_create(424242)`,
  `SELECT lo_from_bytea(424243, convert_to('hello, large world', 'UTF8'))`,
  `COMMENT ON LARGE OBJECT 424243 IS 'a greeting'`,
  'ALTER LARGE OBJECT 424243 OWNER TO regress_lo_owner',
  `SELECT lo_from_bytea(3000000001, (SELECT string_agg(decode(md5(g::text), 'hex'), ''::bytea ORDER BY g) FROM generate_series(1, 196608) g))`,
  'GRANT SELECT, UPDATE ON LARGE OBJECT 3000000001 TO regress_lo_reader',
  'GRANT SELECT ON LARGE OBJECT 424242 TO PUBLIC',
];

const FACTS = `SELECT m.oid::text AS oid, pg_get_userbyid(m.lomowner) AS owner, m.lomacl::text[] AS acl,
    obj_description(m.oid, 'pg_largeobject') AS comment, length(lo_get(m.oid)) AS bytes, md5(lo_get(m.oid)) AS md5
  FROM pg_largeobject_metadata m ORDER BY m.oid`;

/** The loader's order: pre-data, the contents, post-data (which owners and grants are part of). */
async function migrate(source: pg.Client, target: pg.Client, write = (_: number) => {}) {
  const plan = await planSchema(source, {}, { copyOwners: true, copyPrivileges: true });
  await applyStatements(target, plan.preData);
  const copied = await copyLargeObjects(source, countingWrites(target, write), plan.largeObjects ?? [], {
    chunkBytes: 256 * 1024,
  });
  await applyStatements(target, plan.postData);
  return { plan, copied };
}

/** The target with every lowrite counted (and failing where `write` throws). */
function countingWrites(target: pg.Client, write: (n: number) => void): pg.Client {
  let writes = 0;
  return new Proxy(target, {
    get(client, key) {
      if (key !== 'query') return Reflect.get(client, key);
      return (text: string, values?: unknown[]) => {
        if (text.includes('lowrite')) write(++writes);
        return client.query(text, values);
      };
    },
  });
}

describe('large objects', () => {
  for (const from of [17, 10] as const) {
    it(`are copied ${from} → 17 with their oids, owners, grants, comments and contents`, async () => {
      const source = await freshDatabase(from === 17 ? pg17 : pg10, `lo src ${from}`, clients, FIXTURE);
      const target = await freshDatabase(pg17, `lo dst ${from}`, clients);
      const { plan, copied } = await migrate(source, target);
      expect(plan.largeObjects).toEqual(['424242', '424243', '3000000001']);
      expect(copied).toMatchObject({ copied: 3, bytes: 18 + 3 * 1024 * 1024, alreadyThere: 0 });

      const expected = (await source.query(FACTS)).rows;
      expect(expected.map((r) => r.bytes)).toEqual([0, 18, 3 * 1024 * 1024]);
      expect((await target.query(FACTS)).rows).toEqual(expected);
      expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));

      const report = await verifyDatabase(
        () => (from === 17 ? pg17 : pg10).client(`lo src ${from}`),
        () => pg17.client(`lo dst ${from}`),
        `lo ${from}`,
      );
      expect(report.largeObjects).toEqual({ sourceCount: 3, targetCount: 3, differences: [] });
      expect(report.ok).toBe(true);
    });
  }

  it('copies again after a crash mid-object exactly what is missing, and verify sees a changed byte', async () => {
    const source = await freshDatabase(pg17, 'lo crash src', clients, FIXTURE);
    const target = await freshDatabase(pg17, 'lo crash dst', clients);
    // The 3 MiB object is written 256 KiB at a time; the run dies at its fifth write.
    await expect(
      migrate(source, target, (n) => {
        if (n === 6) throw new Error('killed');
      }),
    ).rejects.toThrow(/copying large object 3000000001 failed: killed/);
    const halfway = (await target.query('SELECT oid::text AS oid FROM pg_largeobject_metadata ORDER BY oid'))
      .rows;
    expect(halfway).toEqual([{ oid: '424242' }, { oid: '424243' }]);

    const rerun = await migrate(source, target);
    expect(rerun.copied).toMatchObject({ copied: 1, alreadyThere: 2, bytes: 3 * 1024 * 1024 });
    expect((await target.query(FACTS)).rows).toEqual((await source.query(FACTS)).rows);

    await target.query(`SELECT lo_put(3000000001, 1000000, '\\x00ff'::bytea)`);
    await target.query('SELECT lo_unlink(424242)');
    const report = await verifyDatabase(
      () => pg17.client('lo crash src'),
      () => pg17.client('lo crash dst'),
      'lo crash',
      undefined,
      { schema: false },
    );
    expect(report.ok).toBe(false);
    expect(report.largeObjects?.differences).toEqual([
      { oid: '424242', problem: 'missing' },
      { oid: '3000000001', problem: 'different', sourceBytes: 3145728, targetBytes: 3145728 },
    ]);
    expect(formatVerifyReport(report)).toContain('large object 3000000001: contents differ');
  });

  it('are created empty, with owners and grants, by a copy of the schema alone', async () => {
    const source = await freshDatabase(pg17, 'lo schema src', clients, FIXTURE);
    const target = await freshDatabase(pg17, 'lo schema dst', clients);
    await copySchema(source, target, { copyOwners: true, copyPrivileges: true });
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ bytes: _, md5: __, ...r }) => r);
    const copied = (await target.query(FACTS)).rows;
    expect(strip(copied)).toEqual(strip((await source.query(FACTS)).rows));
    expect(copied.map((r) => r.bytes)).toEqual([0, 0, 0]);
  });
});
