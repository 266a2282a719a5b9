import type { SqlSession } from '@pgshift/plugin-api';
import type { Grant } from '../schema/catalog-rows.js';
import { catalogSql } from '../schema/catalog-sql.js';
import { featuresOf } from '../server-features.js';

/*
 * What belongs to the instance rather than to one database: roles, their memberships and
 * settings, and each database's owner, privileges, comment and settings. Read from the shared
 * catalogs through any database's session.
 */

export interface RoleRow {
  name: string;
  superuser: boolean;
  inherit: boolean;
  createRole: boolean;
  createDb: boolean;
  login: boolean;
  replication: boolean;
  bypassRls: boolean;
  connectionLimit: number;
  /** `YYYY-MM-DD HH:MI:SS.US+00`, `infinity`, or null. */
  validUntil: string | null;
  /** The stored (hashed) password; null when there is none or it cannot be read. */
  password: string | null;
  comment: string | null;
}

export interface MembershipRow {
  role: string;
  member: string;
  admin: boolean;
  /** 16+: whether the member inherits the role's privileges, and may SET ROLE to it. */
  inherit: boolean | null;
  set: boolean | null;
}

/** One pg_db_role_setting row: a role's settings (anywhere or in one database), or a database's. */
export interface SettingRow {
  role: string | null;
  database: string | null;
  /** `name=value` as stored. */
  settings: string[];
}

export interface RoleGlobals {
  roles: RoleRow[];
  memberships: MembershipRow[];
  settings: SettingRow[];
  /** Whether this session may read pg_authid, where the password hashes are. */
  passwordsReadable: boolean;
}

export interface DatabaseGlobals {
  owner: string;
  acl: Grant[] | null;
  comment: string | null;
}

// Predefined roles (pg_monitor, ...) exist on every server of their major.
const USER_ROLE = `r.rolname !~ '^pg_'`;

export async function readRoleGlobals(session: SqlSession, versionNum: number): Promise<RoleGlobals> {
  const has = featuresOf(versionNum);
  const readable = await session.query<{ ok: boolean }>(
    `SELECT pg_catalog.has_table_privilege('pg_catalog.pg_authid', 'SELECT') AS ok`,
  );
  const passwordsReadable = readable.rows[0]?.ok === true;
  const roles = await session.query<RoleRow>(
    `SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolinherit AS inherit, r.rolcreaterole AS "createRole",
        r.rolcreatedb AS "createDb", r.rolcanlogin AS login, r.rolreplication AS replication,
        ${has('bypassRls') ? 'r.rolbypassrls' : 'false'} AS "bypassRls", r.rolconnlimit AS "connectionLimit",
        CASE WHEN r.rolvaliduntil IS NULL THEN NULL
             WHEN NOT pg_catalog.isfinite(r.rolvaliduntil) THEN r.rolvaliduntil::text
             ELSE pg_catalog.to_char(r.rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' END
          AS "validUntil",
        ${passwordsReadable ? '(SELECT a.rolpassword FROM pg_catalog.pg_authid a WHERE a.oid = r.oid)' : 'NULL::text'} AS password,
        pg_catalog.shobj_description(r.oid, 'pg_authid') AS comment
      FROM pg_catalog.pg_roles r WHERE ${USER_ROLE} ORDER BY r.rolname`,
  );
  // 16+ keeps one row per grantor; the options are the same for our purpose, so they are merged.
  const options = has('membershipOptions')
    ? 'pg_catalog.bool_or(am.inherit_option) AS inherit, pg_catalog.bool_or(am.set_option) AS "set"'
    : 'NULL::boolean AS inherit, NULL::boolean AS "set"';
  const memberships = await session.query<MembershipRow>(
    `SELECT g.rolname AS role, r.rolname AS member, pg_catalog.bool_or(am.admin_option) AS admin, ${options}
      FROM pg_catalog.pg_auth_members am
      JOIN pg_catalog.pg_roles g ON g.oid = am.roleid
      JOIN pg_catalog.pg_roles r ON r.oid = am.member
      WHERE ${USER_ROLE} GROUP BY g.rolname, r.rolname ORDER BY 1, 2`,
  );
  // As json text: sessions that keep every value as text would hand the array over unparsed.
  const settings = await session.query<Omit<SettingRow, 'settings'> & { settings: string }>(
    `SELECT r.rolname AS role, d.datname AS database, pg_catalog.array_to_json(s.setconfig)::text AS settings
      FROM pg_catalog.pg_db_role_setting s
      LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
      LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase
      WHERE (s.setrole = 0 OR r.oid IS NOT NULL) AND (s.setdatabase = 0 OR d.oid IS NOT NULL)
      ORDER BY 1 NULLS FIRST, 2 NULLS FIRST`,
  );
  return {
    roles: roles.rows,
    memberships: memberships.rows,
    settings: settings.rows.map((row) => ({ ...row, settings: JSON.parse(row.settings) as string[] })),
    passwordsReadable,
  };
}

export async function readDatabaseGlobals(
  session: SqlSession,
  versionNum: number,
  database: string,
): Promise<DatabaseGlobals | undefined> {
  const q = catalogSql(versionNum);
  const { rows } = await session.query<Omit<DatabaseGlobals, 'acl'> & { acl: string | null }>(
    `SELECT pg_catalog.pg_get_userbyid(d.datdba) AS owner, ${q.acl('d.datacl')} AS acl,
        pg_catalog.shobj_description(d.oid, 'pg_database') AS comment
      FROM pg_catalog.pg_database d WHERE d.datname = $1`,
    [database],
  );
  const row = rows[0];
  return row && { ...row, acl: row.acl === null ? null : (JSON.parse(row.acl) as Grant[]) };
}

/** The target's roles, and whether its session is a superuser's. */
export async function readTargetRoles(
  session: SqlSession,
): Promise<{ roles: Set<string>; superuser: boolean }> {
  const { rows } = await session.query<{ name: string; me: boolean; superuser: boolean }>(
    `SELECT r.rolname AS name, r.rolname = current_user AS me, r.rolsuper AS superuser FROM pg_catalog.pg_roles r`,
  );
  return {
    roles: new Set(rows.map((r) => r.name)),
    superuser: rows.some((r) => r.me && r.superuser),
  };
}
