import type { ResolvedDatabase } from '@pgshift/plugin-api';

/**
 * SQL that lists the selected tables of one database as (schema, name) rows, for joins against
 * pg_class. It takes two text[] parameters, given by `selectedTableParams`, at positions $1 and $2.
 * The two arrays are paired by subscript, which every major has (`unnest` of several arrays
 * arrived in 9.4).
 */
export const SELECTED_TABLES_SQL = pairedArraysSql('$1', '$2', 'nspname', 'relname');

/** Rows `(first, second)` pairing two text[] expressions element by element, on every major. */
export function pairedArraysSql(
  first: string,
  second: string,
  firstName: string,
  secondName: string,
): string {
  return `SELECT (${first}::text[])[i] AS ${firstName}, (${second}::text[])[i] AS ${secondName} FROM pg_catalog.generate_subscripts(${first}::text[], 1) AS g(i)`;
}

export function selectedTableParams(database: ResolvedDatabase): [string[], string[]] {
  return [database.tables.map((t) => t.schema), database.tables.map((t) => t.name)];
}

/** `"schema"."name"` list for messages, shortened after `limit` items. */
export function listNames(names: readonly string[], limit = 20): string {
  if (names.length <= limit) return names.join(', ');
  return `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`;
}

/** Bytes in a form people read (binary units). */
export function formatBytes(bytes: bigint | number): string {
  let value = Number(bytes);
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
