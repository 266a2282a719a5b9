/**
 * Instance-level objects a whole-instance migration carries: roles (attributes, password hashes
 * where readable, comments), memberships, per-role and per-database settings, and each
 * database's owner, privileges and comment.
 */
export { applyGlobals } from './apply-globals.js';
export {
  createRoleDdl,
  databaseDdl,
  membershipDdl,
  type RoleDdlOptions,
  SUPERUSER_ATTRIBUTES,
  settingAssignment,
  settingDdl,
} from './globals-ddl.js';
export { planDatabaseGlobals, planRoles, type RolesPlan } from './plan-globals.js';
export {
  type DatabaseGlobals,
  type MembershipRow,
  type RoleGlobals,
  type RoleRow,
  readDatabaseGlobals,
  readRoleGlobals,
  readTargetRoles,
  type SettingRow,
} from './read-globals.js';
