import { createServerHandle, directRoute, openClient, verifyDatabase } from '@pgshift/pg';
import { type LoadContext, type Loader, silentLogger } from '@pgshift/plugin-api';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeLoader } from '../src/index.js';

// Large objects (contents copied in post-data) and event triggers (held back until finish).
const SOURCE_SQL = `
  CREATE TABLE docs (id int PRIMARY KEY, body oid);
  SELECT lo_create(5001);
  SELECT lo_from_bytea(5002, (SELECT string_agg(decode(md5(g::text), 'hex'), ''::bytea ORDER BY g) FROM generate_series(1, 200000) g));
  COMMENT ON LARGE OBJECT 5002 IS 'three megabytes';
  INSERT INTO docs VALUES (1, 5001), (2, 5002);
  CREATE PUBLICATION docs_pub FOR TABLE docs;
  CREATE FUNCTION note_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no DDL: %', tg_tag; END $$;
  CREATE EVENT TRIGGER guard ON ddl_command_start EXECUTE PROCEDURE note_ddl();`;

const LARGE_OBJECTS = `SELECT m.oid::text AS oid, obj_description(m.oid, 'pg_largeobject') AS comment,
    length(lo_get(m.oid)) AS bytes, md5(lo_get(m.oid)) AS md5 FROM pg_largeobject_metadata m ORDER BY m.oid`;

describe('loader-native: large objects, event triggers, publications', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    await source.query('CREATE DATABASE docs');
    await target.query('CREATE DATABASE docs');
    await source.query(SOURCE_SQL, [], 'docs');
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
  });

  it('copies large objects in post-data, keeps event triggers disabled until finish, publications on request', async () => {
    const loader: Loader = new NativeLoader();
    const ctx: LoadContext = {
      source: createServerHandle('source', directRoute(source.connection())),
      target: createServerHandle('target', directRoute(target.connection())),
      database: { name: 'docs', whole: true, tables: [] },
      jobs: 2,
      options: {
        copyOwners: true,
        copyPrivileges: true,
        copyPublications: true,
        onLostSnapshot: 'fail',
        splitTableBytes: 1 << 30,
        taskName: 'docs-move',
      },
      progress: { emit: () => {} },
      logger: silentLogger,
    };
    await loader.preData(ctx);
    await loader.copyData(ctx);
    await loader.postData(ctx);
    await loader.syncSequences(ctx);

    const expected = await source.query(LARGE_OBJECTS, [], 'docs');
    expect(expected.map((r) => r.bytes)).toEqual([0, 3200000]);
    expect(await target.query(LARGE_OBJECTS, [], 'docs')).toEqual(expected);
    expect(await target.query('SELECT pubname FROM pg_publication', [], 'docs')).toEqual([
      { pubname: 'docs_pub' },
    ]);
    // After the run the event trigger is there but does not fire yet...
    const enabled = 'SELECT evtname, evtenabled FROM pg_event_trigger';
    expect(await target.query(enabled, [], 'docs')).toEqual([{ evtname: 'guard', evtenabled: 'D' }]);
    // ...and a rerun of post-data (a crash after its mark) copies nothing twice.
    await loader.postData(ctx);
    expect(await target.query('SELECT count(*)::int AS n FROM pg_largeobject_metadata', [], 'docs')).toEqual([
      { n: 2 },
    ]);

    await loader.finish?.(ctx);
    expect(await target.query(enabled, [], 'docs')).toEqual([{ evtname: 'guard', evtenabled: 'O' }]);
    // Finishing again runs no DDL of pgshift's own that the trigger would now refuse.
    await loader.finish?.(ctx);
    await expect(target.query('CREATE TABLE t (a int)', [], 'docs')).rejects.toThrow(/no DDL: CREATE TABLE/);

    const report = await verifyDatabase(
      () => openClient(source.connection('docs')),
      () => openClient(target.connection('docs')),
      'docs',
      undefined,
      { copyPublications: true },
    );
    expect(report.largeObjects).toEqual({ sourceCount: 2, targetCount: 2, differences: [] });
    expect(report.schema).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
