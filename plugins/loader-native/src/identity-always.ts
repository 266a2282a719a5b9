import { hasFeature, qualified, quoteIdent, serverVersionNum } from '@pgshift/pg';
import type { TableRef } from '@pgshift/plugin-api';
import type pg from 'pg';

/** A GENERATED ALWAYS AS IDENTITY column. */
interface IdentityColumn {
  schema: string;
  table: string;
  column: string;
}

/**
 * The identity columns of one kind (`a` ALWAYS, `d` BY DEFAULT) of the (selected) tables.
 * Partitions are left out: their identity follows their parent's, and ALTER on the parent reaches them.
 */
async function identityColumns(
  client: pg.Client,
  kind: 'a' | 'd',
  tables: readonly TableRef[] | undefined,
): Promise<IdentityColumn[]> {
  const version = await serverVersionNum(client);
  if (!hasFeature(version, 'identityColumns')) return [];
  const { rows } = await client.query<IdentityColumn>(
    `SELECT n.nspname::text AS schema, c.relname::text AS table, a.attname::text AS column
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE a.attidentity = $1 AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY 1, 2, a.attnum`,
    [kind],
  );
  if (!tables) return rows;
  const selected = new Set(tables.map((t) => `${t.schema}.${t.name}`));
  return rows.filter((r) => selected.has(`${r.schema}.${r.table}`));
}

const alter = (c: IdentityColumn, kind: 'ALWAYS' | 'BY DEFAULT') =>
  `ALTER TABLE ${qualified(c.schema, c.table)} ALTER COLUMN ${quoteIdent(c.column)} SET GENERATED ${kind}`;

/**
 * While the target follows the source, its ALWAYS identity columns run BY DEFAULT: an UPDATE has
 * no OVERRIDING clause, so the source's updates of such rows could not be applied otherwise.
 * Read from the target itself, after pre-data created the tables as the source has them.
 */
export async function relaxIdentityStatements(
  target: pg.Client,
  tables: readonly TableRef[] | undefined,
): Promise<string[]> {
  return (await identityColumns(target, 'a', tables)).map((c) => alter(c, 'BY DEFAULT'));
}

/**
 * At finish: ALWAYS again where the source says ALWAYS and the target runs BY DEFAULT (only
 * those, so a finish run twice, or after a full copy, changes nothing).
 */
export async function restoreIdentityStatements(
  source: pg.Client,
  target: pg.Client,
  tables: readonly TableRef[] | undefined,
): Promise<string[]> {
  const wanted = await identityColumns(source, 'a', tables);
  if (wanted.length === 0) return [];
  const key = (c: IdentityColumn) => `${c.schema}.${c.table}.${c.column}`;
  const relaxed = new Set((await identityColumns(target, 'd', tables)).map(key));
  return wanted.filter((c) => relaxed.has(key(c))).map((c) => alter(c, 'ALWAYS'));
}
