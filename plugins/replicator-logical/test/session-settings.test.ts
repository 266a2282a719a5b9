import { fixedSettingsSql, quoteIdent } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, currentWalLsn, exec, readyToFollow } from './helpers.js';

/**
 * Dates, times, intervals, floats and bytea travel as the walsender prints them and are read back
 * by the apply session: both run under pgshift's fixed session settings (DateStyle ISO, YMD). Both
 * databases are given settings that print and read values differently, which the sessions must
 * override, and every value must arrive identical.
 */
let source17: SandboxServer;
let source10: SandboxServer;
let target: SandboxServer;

beforeAll(async () => {
  [source17, source10, target] = await Promise.all([
    startPostgres({ major: 17 }),
    startPostgres({ major: 10 }),
    startPostgres({ major: 17 }),
  ]);
});

afterAll(async () => {
  await Promise.all([source17?.stop(), source10?.stop(), target?.stop()]);
});

const DDL = `CREATE TABLE v (id int PRIMARY KEY, d date, ts timestamp(6), tz timestamptz, t time, ttz timetz,
  i interval, f8 float8, f4 float4, b bytea)`;

const ROWS = `INSERT INTO v VALUES
  (1, '2026-12-31', '2026-01-02 03:04:05.678901', '2026-06-30 23:59:59.999999+05:30', '13:14:15.5', '01:02:03-08',
      '1 year 2 mons -3 days 04:05:06.7', 0.1, 0.1, '\\x00ff10'),
  (2, '0044-03-15 BC', '1999-01-08 04:05:06', '1970-01-01 00:00:00+00', '00:00', '23:59:59.999999+14',
      '-1 days +02:03:00', 1e-310, 3.4e38, '\\x'),
  (3, 'infinity', '-infinity', 'infinity', '24:00', '00:00:00-15:59', '0', 'Infinity', '-Infinity', '\\x5c27'),
  (4, '2001-02-03', '2001-02-03 04:05:06', '2001-02-03 04:05:06.5 America/New_York', '04:05', '04:05+00',
      '123456789 seconds', 2.718281828459045, -0.0, NULL),
  (5, NULL, NULL, NULL, NULL, NULL, NULL, 'NaN', NULL, NULL)`;

/** A database whose defaults print and read values unlike pgshift's settings. */
async function disguise(server: SandboxServer, database: string): Promise<void> {
  await exec(
    server.connection(),
    'postgres',
    `ALTER DATABASE ${quoteIdent(database)} SET DateStyle = 'SQL, DMY';
     ALTER DATABASE ${quoteIdent(database)} SET IntervalStyle = 'sql_standard';
     ALTER DATABASE ${quoteIdent(database)} SET TimeZone = 'Asia/Kathmandu';
     ALTER DATABASE ${quoteIdent(database)} SET extra_float_digits = -3;
     ALTER DATABASE ${quoteIdent(database)} SET bytea_output = 'escape'`,
  );
}

/** Every row as text under the fixed settings, floats as their exact bits. */
async function rowsOf(server: SandboxServer, database: string): Promise<string[]> {
  const client = await connect(server.connection(), database);
  try {
    await client.query(fixedSettingsSql());
    const { rows } = await client.query<{ r: string }>(
      `SELECT concat_ws(' | ', id, d, ts, tz, t, ttz, i, encode(float8send(f8), 'hex'),
          encode(float4send(f4), 'hex'), b) AS r FROM v ORDER BY id`,
    );
    return rows.map((row) => row.r);
  } finally {
    await client.end();
  }
}

describe('values round-trip through the stream and apply under the fixed session settings', () => {
  for (const [major, format] of [
    [17, 'pgoutput'],
    [17, 'test_decoding'],
    [10, 'pgoutput'],
    [10, 'test_decoding'],
  ] as const) {
    it(`PG${major} -> PG17 with ${format}`, async () => {
      const server = major === 17 ? source17 : source10;
      const database = `settings_${major}_${format}`;
      const src = server.connection();
      const { ctx, replicator } = await readyToFollow({
        source: src,
        target: target.connection(),
        database,
        format,
        slotName: `s_${database}`,
        sourceMajor: major,
        tables: [{ schema: 'public', name: 'v' }],
        ddl: DDL,
      });
      await disguise(server, database);
      await disguise(target, database);
      await exec(src, database, ROWS);
      // Updates carry the values through the UPDATE path too (row 4 by key, the rest batched).
      await exec(src, database, "UPDATE v SET i = i + interval '1 second' WHERE id = 4");
      const drainTo = await currentWalLsn(src, database);
      await replicator.follow(ctx, { signal: new AbortController().signal, drainTo: () => drainTo });
      const [expected, applied] = await Promise.all([rowsOf(server, database), rowsOf(target, database)]);
      expect(applied).toHaveLength(5);
      expect(applied).toEqual(expected);
      await replicator.cleanup(ctx);
    });
  }
});
