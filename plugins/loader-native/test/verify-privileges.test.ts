import { verifyDatabase } from '@pgshift/pg';
import { describe, expect, it } from 'vitest';
import { copySchema, serverForFile } from './schema-helpers.js';

const pg17 = serverForFile(17, (server) => server.query('CREATE ROLE reader'));

describe('verify and default privileges', () => {
  it('compares them only when the copy carried privileges', async () => {
    const source = await pg17.database('acl src', [
      'CREATE TABLE public.t (id int PRIMARY KEY)',
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reader',
    ]);
    const target = await pg17.database('acl dst');
    await copySchema(source, target); // without privileges, as a task's defaults copy it

    const open = (database: string) => () => pg17.server().client(database);
    const verify = (copyPrivileges: boolean) =>
      verifyDatabase(open('acl src'), open('acl dst'), 'acl src', undefined, { copyPrivileges });
    expect((await verify(false)).ok).toBe(true);
    const strict = await verify(true);
    expect(strict.ok).toBe(false);
    expect(JSON.stringify(strict)).toContain('default privileges');
  });
});
