import { quoteIdent, quoteLiteral } from '../quote.js';
import { grantDdl } from '../schema/ddl-acl.js';
import { commentOn, statement } from '../schema/sql-text.js';
import type { SchemaStatement } from '../schema/types.js';
import type { DatabaseGlobals, MembershipRow, RoleRow, SettingRow } from './read-globals.js';

/** Attributes only a superuser may give a role. */
export const SUPERUSER_ATTRIBUTES = ['superuser', 'replication', 'bypassRls'] as const;

export interface RoleDdlOptions {
  /** Whether the target's session may give SUPERUSER, REPLICATION and BYPASSRLS. */
  superuser: boolean;
  /** Whether the source major has BYPASSRLS (the target, not older, then has it too). */
  bypassRls: boolean;
}

/**
 * CREATE ROLE with the source role's attributes and password hash (a hash is taken as such by
 * the server). The description never holds the password: it is what errors and logs show.
 */
export function createRoleDdl(r: RoleRow, options: RoleDdlOptions): SchemaStatement[] {
  const flag = (on: boolean, word: string) => (on ? word : `NO${word}`);
  const words = [
    flag(r.login, 'LOGIN'),
    flag(r.inherit, 'INHERIT'),
    flag(r.createRole, 'CREATEROLE'),
    flag(r.createDb, 'CREATEDB'),
  ];
  if (options.superuser) words.push(flag(r.superuser, 'SUPERUSER'), flag(r.replication, 'REPLICATION'));
  if (options.superuser && options.bypassRls) words.push(flag(r.bypassRls, 'BYPASSRLS'));
  if (r.connectionLimit !== -1) words.push(`CONNECTION LIMIT ${r.connectionLimit}`);
  if (r.validUntil !== null) words.push(`VALID UNTIL ${quoteLiteral(r.validUntil)}`);
  if (r.password !== null) words.push(`PASSWORD ${quoteLiteral(r.password)}`);
  const name = quoteIdent(r.name);
  return [
    statement(`CREATE ROLE ${name} WITH ${words.join(' ')}`, `role ${name}`),
    ...commentOn(`ROLE ${name}`, r.comment, `role ${name}`),
  ];
}

export function membershipDdl(m: MembershipRow): SchemaStatement {
  const options =
    m.inherit === null
      ? m.admin
        ? ' WITH ADMIN OPTION'
        : ''
      : ` WITH ADMIN ${m.admin ? 'TRUE' : 'FALSE'}, INHERIT ${m.inherit ? 'TRUE' : 'FALSE'}, SET ${m.set ? 'TRUE' : 'FALSE'}`;
  return statement(
    `GRANT ${quoteIdent(m.role)} TO ${quoteIdent(m.member)}${options}`,
    `membership of role ${quoteIdent(m.member)} in ${quoteIdent(m.role)}`,
  );
}

/**
 * Settings whose value is a list the server stores with each element quoted as an identifier
 * when needed (`"$user", public`): given back element by element, or they would become one.
 */
const LIST_SETTINGS = new Set([
  'search_path',
  'temp_tablespaces',
  'local_preload_libraries',
  'session_preload_libraries',
  'shared_preload_libraries',
]);

/** `name = value` for SET, from a stored `name=value`. */
export function settingAssignment(stored: string): string {
  const at = stored.indexOf('=');
  const name = stored.slice(0, at);
  const value = stored.slice(at + 1);
  const target = name.split('.').map(quoteIdent).join('.');
  if (!LIST_SETTINGS.has(name.toLowerCase())) return `${target} = ${quoteLiteral(value)}`;
  return `${target} = ${splitList(value).map(quoteLiteral).join(', ')}`;
}

/** Splits `"$user", public, "a""b"` into `$user`, `public`, `a"b`. */
function splitList(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (quoted) {
      if (ch === '"' && value[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      items.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '' || items.length > 0) items.push(current.trim());
  return items;
}

/** ALTER ROLE/DATABASE ... SET for one pg_db_role_setting row. */
export function settingDdl(s: SettingRow): SchemaStatement[] {
  const where =
    s.role === null
      ? `DATABASE ${quoteIdent(s.database ?? '')}`
      : `ROLE ${quoteIdent(s.role)}${s.database === null ? '' : ` IN DATABASE ${quoteIdent(s.database)}`}`;
  const description = `settings of ${where.replace(/^(ROLE|DATABASE)/, (w) => w.toLowerCase())}`;
  return s.settings.map((stored) =>
    statement(`ALTER ${where} SET ${settingAssignment(stored)}`, description),
  );
}

/** A database's owner, privileges and comment, as on the source. */
export function databaseDdl(name: string, d: DatabaseGlobals): SchemaStatement[] {
  const target = `DATABASE ${quoteIdent(name)}`;
  const description = `database ${quoteIdent(name)}`;
  return [
    statement(`ALTER ${target} OWNER TO ${quoteIdent(d.owner)}`, `owner of ${description}`),
    ...grantDdl(target, d.acl, d.owner, description),
    ...commentOn(target, d.comment, description),
  ];
}
