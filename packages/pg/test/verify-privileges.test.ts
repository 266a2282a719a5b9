import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDatabase } from '../src/index.js';
import { copySchema, freshDatabase } from './schema-helpers.js';

let pg17: SandboxServer;
const clients: pg.Client[] = [];

beforeAll(async () => {
  pg17 = await startPostgres({ major: 17 });
  await pg17.query('CREATE ROLE reader');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await pg17?.stop();
});

describe('verify and default privileges', () => {
  it('compares them only when the copy carried privileges', async () => {
    await freshDatabase(pg17, 'acl src', clients, [
      'CREATE TABLE public.t (id int PRIMARY KEY)',
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reader',
    ]);
    await freshDatabase(pg17, 'acl dst', clients);
    const [source, target] = [clients[0] as pg.Client, clients[1] as pg.Client];
    await copySchema(source, target); // without privileges, as a task's defaults copy it

    const open = (database: string) => () => pg17.client(database);
    const verify = (copyPrivileges: boolean) =>
      verifyDatabase(open('acl src'), open('acl dst'), 'acl src', undefined, { copyPrivileges });
    expect((await verify(false)).ok).toBe(true);
    const strict = await verify(true);
    expect(strict.ok).toBe(false);
    expect(JSON.stringify(strict)).toContain('default privileges');
  });
});
