import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyGlobals,
  planDatabaseGlobals,
  planRoles,
  readDatabaseGlobals,
  readRoleGlobals,
  readTargetRoles,
} from '../src/index.js';

const ROLES = `
  CREATE ROLE app_owner LOGIN PASSWORD 'owner secret' CREATEDB CONNECTION LIMIT 5 VALID UNTIL '2030-01-02 03:04:05+00';
  CREATE ROLE readers NOLOGIN NOINHERIT;
  COMMENT ON ROLE readers IS 'read only';
  CREATE ROLE "Odd ""Name""" LOGIN;
  CREATE ROLE repl LOGIN REPLICATION BYPASSRLS;
  CREATE ROLE migrator LOGIN;
  GRANT readers TO app_owner WITH ADMIN OPTION;
  GRANT pg_read_all_stats TO readers;
  ALTER ROLE app_owner SET search_path = "$user", public, "Odd Schema";
  ALTER ROLE app_owner SET work_mem = '64MB';
  CREATE DATABASE shop OWNER app_owner;
  REVOKE CONNECT, TEMPORARY ON DATABASE shop FROM PUBLIC;
  GRANT CONNECT ON DATABASE shop TO readers;
  COMMENT ON DATABASE shop IS 'the shop';
  ALTER DATABASE shop SET timezone = 'Europe/Berlin';
  ALTER ROLE readers IN DATABASE shop SET statement_timeout = '5s';`;

const NAMES = `('app_owner', 'readers', 'Odd "Name"', 'repl', 'migrator', 'app_admin')`;

/** What the target must hold as on the source, read the same way on both. */
async function instanceFacts(server: SandboxServer) {
  const q = (sql: string) => server.query(sql);
  return {
    roles: await q(
      `SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication,
              rolbypassrls, rolconnlimit, rolvaliduntil::text, rolpassword,
              shobj_description(oid, 'pg_authid') AS comment
         FROM pg_authid WHERE rolname IN ${NAMES} ORDER BY rolname`,
    ),
    memberships: await q(
      `SELECT g.rolname AS role, m.rolname AS member, bool_or(a.admin_option) AS admin
         FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
        WHERE m.rolname IN ${NAMES} GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    settings: await q(
      `SELECT r.rolname, d.datname, s.setconfig FROM pg_db_role_setting s
         LEFT JOIN pg_roles r ON r.oid = s.setrole LEFT JOIN pg_database d ON d.oid = s.setdatabase
        WHERE d.datname = 'shop' OR r.rolname IN ${NAMES} ORDER BY 1, 2`,
    ),
    database: await q(
      `SELECT pg_get_userbyid(datdba) AS owner, datacl::text AS acl, shobj_description(oid, 'pg_database') AS comment
         FROM pg_database WHERE datname = 'shop'`,
    ),
  };
}

async function copyGlobals(source: SandboxServer, target: SandboxServer) {
  const s = await source.client();
  const t = await target.client();
  try {
    const version = await source.versionNum();
    const globals = await readRoleGlobals(s, version);
    const plan = planRoles(globals, version, await readTargetRoles(t));
    await applyGlobals(t, plan.statements);
    await t.query('CREATE DATABASE shop');
    const database = await readDatabaseGlobals(s, version, 'shop');
    if (!database) throw new Error('no database shop on the source');
    const { roles } = await readTargetRoles(t);
    await applyGlobals(t, planDatabaseGlobals('shop', database, globals.settings, roles));
    return plan;
  } finally {
    await s.end();
    await t.end();
  }
}

describe('roles and database globals', () => {
  let pg15: SandboxServer;
  let pg17a: SandboxServer;
  let pg17b: SandboxServer;

  beforeAll(async () => {
    [pg15, pg17a, pg17b] = await Promise.all([
      startPostgres({ major: 15 }),
      startPostgres({ major: 17 }),
      startPostgres({ major: 17 }),
    ]);
    // One at a time: CREATE DATABASE refuses a multi-statement string (an implicit transaction).
    for (const sql of ROLES.split(';').filter((x) => x.trim())) await pg15.query(sql);
  });
  afterAll(async () => {
    await Promise.all([pg15?.stop(), pg17a?.stop(), pg17b?.stop()]);
  });

  it('creates roles, password hashes, memberships, settings and the database owner, grants and settings', async () => {
    // A role already on the target is left as it is, and said so.
    await pg17a.query(`CREATE ROLE "Odd ""Name""" NOLOGIN`);
    const plan = await copyGlobals(pg15, pg17a);
    expect(plan.existing).toEqual(['Odd "Name"', 'postgres']);
    expect(plan.created).toEqual(expect.arrayContaining(['app_owner', 'readers', 'repl', 'migrator']));
    expect(plan.withoutPassword).toEqual([]);
    expect(plan.statements.map((s) => s.description).join('\n')).not.toContain('owner secret');

    const [source, target] = [await instanceFacts(pg15), await instanceFacts(pg17a)];
    const odd = (rows: Record<string, unknown>[]) => rows.filter((r) => r.rolname !== 'Odd "Name"');
    expect(odd(target.roles)).toEqual(odd(source.roles));
    expect(target.roles.find((r) => r.rolname === 'Odd "Name"')?.rolcanlogin).toBe(false);
    expect(target.roles.find((r) => r.rolname === 'app_owner')?.rolpassword).toMatch(/^SCRAM-SHA-256\$/);
    expect(target.memberships).toEqual(source.memberships);
    expect(target.settings).toEqual(source.settings);
    expect(target.settings.find((r) => r.rolname === 'app_owner')?.setconfig).toContain(
      'search_path="$user", public, "Odd Schema"',
    );
    expect(target.database).toEqual(source.database);
    expect(target.database[0]?.owner).toBe('app_owner');
  });

  it('carries 16+ membership options, and says which passwords it cannot read', async () => {
    await pg17a.query(`CREATE ROLE app_admin LOGIN;
      GRANT readers TO app_admin WITH INHERIT FALSE, SET FALSE;
      GRANT pg_read_all_settings TO migrator`);
    const options = `SELECT m.rolname AS member, a.inherit_option, a.set_option FROM pg_auth_members a
      JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = 'app_admin'`;

    // Read as a user that may not read pg_authid: no hashes, and the login roles are named.
    const migrator = new pg.Client({ ...pg17a.connection(), user: 'migrator' });
    await migrator.connect();
    const t = await pg17b.client();
    try {
      const globals = await readRoleGlobals(migrator, await pg17a.versionNum());
      expect(globals.passwordsReadable).toBe(false);
      const plan = planRoles(globals, await pg17a.versionNum(), await readTargetRoles(t));
      expect(plan.withoutPassword).toEqual(expect.arrayContaining(['app_owner', 'app_admin', 'repl']));
      expect(plan.withoutPassword).not.toContain('readers');
      await applyGlobals(t, plan.statements);
    } finally {
      await migrator.end();
      await t.end();
    }
    expect(await pg17b.query(options)).toEqual(await pg17a.query(options));
    expect(await pg17b.query(options)).toEqual([
      { member: 'app_admin', inherit_option: false, set_option: false },
    ]);
    const hash = `SELECT rolpassword FROM pg_authid WHERE rolname = 'app_owner'`;
    expect(await pg17b.query(hash)).toEqual([{ rolpassword: null }]);
  });
});
