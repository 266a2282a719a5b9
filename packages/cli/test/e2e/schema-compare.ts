import type { SandboxServer } from '@pgshift/sandbox';

/*
 * An independent compare of two databases, written without pgshift's code: every table's rows
 * as hashes of `row(t.*)` (so column order counts), columns in order with their inheritance
 * flags, indexes, constraints, materialized views' definition and populated state, and sequence
 * values. For a source and a target of the same major (their output functions agree).
 */

const USER_RELATION = `n.nspname <> 'information_schema' AND n.nspname <> 'pgshift' AND n.nspname !~ '^pg_'`;

async function rows(server: SandboxServer, database: string, sql: string): Promise<string[]> {
  const result = await server.query<{ v: string }>(sql, [], database);
  return result.map((r) => r.v);
}

/** For every user relation of `relkind`, by qualified name: the one value `valueSql(name)` selects. */
async function perRelation(
  server: SandboxServer,
  database: string,
  relkind: 'r' | 'S',
  valueSql: (name: string) => string,
): Promise<Record<string, string>> {
  const names = await rows(
    server,
    database,
    `SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS v
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = '${relkind}' AND ${USER_RELATION} ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const name of names) out[name] = (await rows(server, database, valueSql(name)))[0] ?? '';
  return out;
}

/** Every table's row count and a hash of its rows' text (`row(t.*)`: column order counts). */
const tableHashes = (server: SandboxServer, database: string) =>
  perRelation(
    server,
    database,
    'r',
    (table) =>
      `SELECT pg_catalog.count(*)::text || ' ' || COALESCE(pg_catalog.md5(pg_catalog.string_agg(h, '' ORDER BY h)), '') AS v
         FROM (SELECT pg_catalog.md5(t::text) AS h FROM ONLY ${table} t) x`,
  );

const sequenceValues = (server: SandboxServer, database: string) =>
  perRelation(
    server,
    database,
    'S',
    (name) => `SELECT last_value::text || '/' || is_called::text AS v FROM ${name}`,
  );

export interface DatabaseFingerprint {
  tables: Record<string, string>;
  columns: string[];
  indexes: string[];
  constraints: string[];
  matviews: string[];
  sequences: Record<string, string>;
}

export async function fingerprint(server: SandboxServer, database: string): Promise<DatabaseFingerprint> {
  const relation = `pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)`;
  return {
    tables: await tableHashes(server, database),
    columns: await rows(
      server,
      database,
      `SELECT ${relation} || ': ' || pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
          || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || ' local=' || a.attislocal::text || ' inh=' || a.attinhcount::text, ', ' ORDER BY a.attnum) AS v
         FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') AND ${USER_RELATION}
        GROUP BY n.nspname, c.relname ORDER BY 1`,
    ),
    indexes: await rows(
      server,
      database,
      `SELECT pg_catalog.pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisclustered THEN ' clustered' ELSE '' END AS v
         FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE ${USER_RELATION} ORDER BY 1`,
    ),
    constraints: await rows(
      server,
      database,
      `SELECT COALESCE(${relation}, pg_catalog.format_type(k.contypid, NULL)) || ' ' || pg_catalog.quote_ident(k.conname) || ' ' || pg_catalog.pg_get_constraintdef(k.oid)
          || ' valid=' || k.convalidated::text || ' local=' || k.conislocal::text || ' inh=' || k.coninhcount::text AS v
         FROM pg_catalog.pg_constraint k LEFT JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace
        WHERE ${USER_RELATION} ORDER BY 1`,
    ),
    matviews: await rows(
      server,
      database,
      `SELECT ${relation} || ' populated=' || c.relispopulated::text || ' ' || pg_catalog.pg_get_viewdef(c.oid) AS v
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'm' AND ${USER_RELATION} ORDER BY 1`,
    ),
    sequences: await sequenceValues(server, database),
  };
}

/** Each table's row count alone, for servers whose text forms of some values differ (9.x and 12+). */
export function rowCounts(tables: Record<string, string>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(tables).map(([t, v]) => [t, v.split(' ')[0]]));
}
