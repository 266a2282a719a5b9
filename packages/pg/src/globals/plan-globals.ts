import type { SchemaStatement } from '../schema/types.js';
import { featuresOf } from '../server-features.js';
import { createRoleDdl, databaseDdl, membershipDdl, settingDdl } from './globals-ddl.js';
import type { DatabaseGlobals, RoleGlobals, SettingRow } from './read-globals.js';

export interface RolesPlan {
  /** CREATE ROLE for the roles the target lacks, their comments, memberships and settings. */
  statements: SchemaStatement[];
  created: string[];
  /** Roles the target already has: left as they are. */
  existing: string[];
  /** Roles that can log in but are created without their password (pg_authid was not readable). */
  withoutPassword: string[];
  /** Roles created without SUPERUSER, REPLICATION or BYPASSRLS, which only a superuser may give. */
  withoutSuperuserAttributes: string[];
}

/**
 * The roles to create on the target: every source role it lacks. A membership is granted when
 * either side of it is a role created here; a role's settings when the role is.
 */
export function planRoles(
  source: RoleGlobals,
  sourceVersionNum: number,
  target: { roles: Set<string>; superuser: boolean },
): RolesPlan {
  const options = { superuser: target.superuser, bypassRls: featuresOf(sourceVersionNum)('bypassRls') };
  const created = source.roles.filter((r) => !target.roles.has(r.name));
  const createdNames = new Set(created.map((r) => r.name));
  const known = (name: string) => createdNames.has(name) || target.roles.has(name);
  const statements = created.flatMap((r) => createRoleDdl(r, options));
  for (const m of source.memberships)
    if ((createdNames.has(m.role) || createdNames.has(m.member)) && known(m.role) && known(m.member))
      statements.push(membershipDdl(m));
  for (const s of source.settings)
    if (s.role !== null && s.database === null && createdNames.has(s.role)) statements.push(...settingDdl(s));
  return {
    statements,
    created: [...createdNames],
    existing: source.roles.filter((r) => target.roles.has(r.name)).map((r) => r.name),
    withoutPassword: source.passwordsReadable ? [] : created.filter((r) => r.login).map((r) => r.name),
    withoutSuperuserAttributes: target.superuser
      ? []
      : created.filter((r) => r.superuser || r.replication || r.bypassRls).map((r) => r.name),
  };
}

/**
 * A database's owner, privileges, comment and settings (its own and its roles' in it), for a
 * database just created on the target.
 */
export function planDatabaseGlobals(
  name: string,
  database: DatabaseGlobals,
  settings: SettingRow[],
  targetRoles: Set<string>,
): SchemaStatement[] {
  return [
    ...databaseDdl(name, database),
    ...settings
      .filter((s) => s.database === name && (s.role === null || targetRoles.has(s.role)))
      .flatMap(settingDdl),
  ];
}
