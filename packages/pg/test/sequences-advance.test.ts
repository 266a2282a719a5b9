import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceSequences, applySequences, readSequences } from '../src/index.js';

describe('advanceSequences', () => {
  let server: SandboxServer;
  let source: pg.Client;
  let target: pg.Client;

  beforeAll(async () => {
    server = await startPostgres({ major: 17 });
    await server.query('CREATE DATABASE src');
    await server.query('CREATE DATABASE tgt');
    const ddl = `CREATE SEQUENCE behind; CREATE SEQUENCE ahead; CREATE SEQUENCE fresh;
                 CREATE SEQUENCE down INCREMENT BY -1; CREATE SEQUENCE down_ahead INCREMENT BY -1;`;
    await server.query(ddl, [], 'src');
    await server.query(ddl, [], 'tgt');
    source = await server.client('src');
    target = await server.client('tgt');
  }, 120_000);

  afterAll(async () => {
    await source?.end();
    await target?.end();
    await server?.stop();
  });

  const value = async (name: string) =>
    (await target.query(`SELECT last_value::text AS v, is_called FROM ${name}`)).rows[0];

  it('moves a sequence the target has behind up to the source, and leaves one already past it', async () => {
    await source.query(`SELECT setval('behind', 100); SELECT setval('ahead', 100);
                        SELECT setval('down', -10); SELECT setval('down_ahead', -10)`);
    await target.query(`SELECT setval('behind', 50); SELECT setval('ahead', 200);
                        SELECT setval('down', -5); SELECT setval('down_ahead', -20)`);
    const moved = await advanceSequences(target, await readSequences(source));
    expect(moved).toBe(2);
    expect(await value('behind')).toEqual({ v: '100', is_called: true });
    expect(await value('ahead')).toEqual({ v: '200', is_called: true });
    expect(await value('down')).toEqual({ v: '-10', is_called: true });
    expect(await value('down_ahead')).toEqual({ v: '-20', is_called: true });
  });

  it('leaves a sequence neither side has used, and moves one the source has just started', async () => {
    expect(await value('fresh')).toEqual({ v: '1', is_called: false });
    await advanceSequences(target, await readSequences(source));
    expect(await value('fresh')).toEqual({ v: '1', is_called: false });
    await source.query(`SELECT nextval('fresh')`);
    expect(await advanceSequences(target, await readSequences(source))).toBe(1);
    expect(await value('fresh')).toEqual({ v: '1', is_called: true });
    // Run again: nothing moves, the target is where the source is.
    expect(await advanceSequences(target, await readSequences(source))).toBe(0);
  });
});

describe('many sequences', () => {
  it('reads, sets and advances more sequences than one statement takes, each exactly', async () => {
    const server = await startPostgres({ major: 17 });
    try {
      await server.query('CREATE DATABASE src');
      await server.query('CREATE DATABASE tgt');
      const ddl = `DO $$ BEGIN FOR i IN 1..1200 LOOP EXECUTE format('CREATE SEQUENCE "s%s"', i); END LOOP; END $$`;
      await server.query(ddl, [], 'src');
      await server.query(ddl, [], 'tgt');
      await server.query(
        `DO $$ BEGIN FOR i IN 1..1200 LOOP PERFORM setval(format('"s%s"', i), i * 7, i % 2 = 0); END LOOP; END $$`,
        [],
        'src',
      );
      const source = await server.client('src');
      const target = await server.client('tgt');
      try {
        const values = await readSequences(source);
        expect(values).toHaveLength(1200);
        expect(values.find((v) => v.name === 's999')).toMatchObject({ lastValue: '6993', isCalled: false });
        // Every one is past the fresh target's (which has handed out nothing), so all move up.
        expect(await advanceSequences(target, values)).toBe(1200);
        expect(await advanceSequences(target, values)).toBe(0);
        await applySequences(target, values);
        expect(await readSequences(target)).toEqual(values);
      } finally {
        await source.end();
        await target.end();
      }
    } finally {
      await server.stop();
    }
  }, 120_000);
});
