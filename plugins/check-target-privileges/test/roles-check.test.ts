import { createServerHandle, directRoute } from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';
import { silentLogger } from '@pgshift/plugin-api';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetRolesChecker } from '../src/roles-check.js';

describe('target.roles: the roles the schema names exist on the target', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  const checker = new TargetRolesChecker();

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    await source.query('CREATE ROLE app_owner; CREATE ROLE reader');
    await source.query('CREATE DATABASE shop');
    await source.query(
      `CREATE TABLE items (id int PRIMARY KEY); ALTER TABLE items OWNER TO app_owner;
       GRANT SELECT ON items TO reader;`,
      [],
      'shop',
    );
  });
  afterAll(() => Promise.all([source?.stop(), target?.stop()]));

  const context = (carries: CheckContext['carries']): CheckContext => ({
    source: createServerHandle('source', directRoute(source.connection())),
    target: createServerHandle('target', directRoute(target.connection())),
    mode: 'full',
    selection: {
      wholeInstance: false,
      databases: [{ name: 'shop', whole: true, tables: [{ schema: 'public', name: 'items' }] }],
    },
    ...(carries ? { carries } : {}),
    options: {},
    logger: silentLogger,
  });
  const run = async (ctx: CheckContext) => (await checker.run(ctx)) as CheckResult;

  it('applies only when owners or grants are copied and the roles are not', () => {
    expect(checker.appliesTo(context({ owners: false, privileges: false, roles: false }))).toBe(false);
    expect(checker.appliesTo(context({ owners: true, privileges: false, roles: true }))).toBe(false);
    expect(checker.appliesTo(context({ owners: true, privileges: false, roles: false }))).toBe(true);
    expect(checker.appliesTo(context(undefined))).toBe(false);
  });

  it('fails naming the owners, and the grantees when grants are copied, with the remedy', async () => {
    const owners = await run(context({ owners: true, privileges: false, roles: false }));
    expect(owners.status).toBe('failed');
    expect(owners.message).toContain('name roles the target does not have: app_owner;');
    expect(owners.remedy).toContain('CREATE ROLE "app_owner";');
    expect(owners.remedy).toContain('options.copyRoles: true');
    const both = await run(context({ owners: true, privileges: true, roles: false }));
    expect(both.message).toContain('app_owner, reader');
  });

  it('passes once the target has them', async () => {
    await target.query('CREATE ROLE app_owner; CREATE ROLE reader');
    const done = await run(context({ owners: true, privileges: true, roles: false }));
    expect(done.status, done.message).toBe('pass');
  });
});
