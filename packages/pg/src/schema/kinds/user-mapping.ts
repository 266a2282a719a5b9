import { quoteIdent } from '../../quote.js';
import { type GenericOption, genericOptionsSql, optionsClause, redacted } from '../generic-options.js';
import { role, statement } from '../sql-text.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface UserMappingRow extends KindRow {
  /** null: FOR PUBLIC */
  role: string | null;
  server: string;
  options: GenericOption[] | null;
  /** Whether this session could read the options (see the kind's comment). */
  readable: boolean;
}

/**
 * User mappings (CREATE USER MAPPING). Their options usually hold credentials: the CREATE carries
 * them to the target, but its description and verify's signature never show a secret's value.
 * They are read through pg_user_mappings, which everyone may read but which shows a mapping's
 * options only to a superuser, the mapped user or, for PUBLIC, the server's owner; a mapping
 * whose options this session may not see is created without them and listed in `skipped`.
 */
export const userMappingKind: ObjectKind<UserMappingRow> = {
  prefix: 'umap',
  catalog: 'pg_user_mapping',
  label: 'user mapping',
  phase: 'pre',
  rank: 4.7,
  jsonColumns: ['options'],
  sql: (q) => `SELECT u.umid::text AS oid, NULL::text AS nsp,
        pg_catalog.format('for %s server %I', CASE WHEN u.umuser = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(u.usename) END, u.srvname) AS name,
        CASE WHEN u.umuser <> 0 THEN u.usename END AS role, u.srvname AS server,
        ${genericOptionsSql(q, 'u.umoptions')}::text AS options,
        u.umoptions IS NOT NULL OR COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER), false) AS readable
      FROM pg_catalog.pg_user_mappings u
      WHERE ${q.notExtMember('pg_user_mapping', 'u.umid')}
      ORDER BY u.srvname, u.usename`,
  statements(m) {
    const what = `user mapping ${m.name}`;
    const sql = `CREATE USER MAPPING FOR ${role(m.role)} SERVER ${quoteIdent(m.server)}${optionsClause(m.options)}`;
    const create = statement(sql, what);
    return {
      // Any option of a mapping may be a credential (a user name, a password): never shown.
      create: [m.options && m.options.length > 0 ? { ...create, sensitive: true } : create],
      skipped: m.readable
        ? []
        : [{ kind: 'options of user mapping (only a superuser may read them)', name: m.name }],
    };
  },
  compare: (m) => ({
    schema: '',
    name: m.name,
    signature: { options: redacted(m.options) },
  }),
};
