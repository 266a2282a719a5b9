import type { SqlSession, TableRef } from '@pgshift/plugin-api';
import { NON_USER_SCHEMAS_SQL } from './bookkeeping.js';

/**
 * The wal2json option (2.6 and later) that sends numbers, NaN and Infinity among them, as strings.
 * Without it wal2json sends NaN and ±Infinity as JSON null, the same as an SQL NULL.
 */
export const WAL2JSON_NUMBERS_AS_STRINGS = 'numeric-data-types-as-string';

/**
 * Whether the source's wal2json knows WAL2JSON_NUMBERS_AS_STRINGS. A peek on `slot` (a wal2json
 * slot not in use) that stops after one WAL record runs wal2json's startup, which refuses an
 * unknown option with 22023. Run it in the slot's database.
 */
export async function wal2jsonAcceptsNumbersAsStrings(session: SqlSession, slot: string): Promise<boolean> {
  try {
    await session.query(
      `SELECT count(*) FROM pg_logical_slot_peek_changes($1, '0/1', NULL, '${WAL2JSON_NUMBERS_AS_STRINGS}', '1')`,
      [slot],
    );
    return true;
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code === '22023' && message?.includes(WAL2JSON_NUMBERS_AS_STRINGS)) return false;
    throw error;
  }
}

/**
 * Columns (`schema.table.column`, quoted where needed) whose type has NaN or Infinity: real,
 * double precision, numeric. Of every user table of the session's database when `tables` is
 * undefined, else of those tables.
 */
export async function columnsWithSpecialNumbers(
  session: SqlSession,
  tables: readonly TableRef[] | undefined,
): Promise<string[]> {
  const names = tables ? tables.map((t) => `${t.schema}.${t.name}`) : null;
  const { rows } = await session.query<{ column: string }>(
    `SELECT format('%I.%I.%I', n.nspname, c.relname, a.attname) AS column
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        AND a.atttypid IN ('real'::regtype, 'double precision'::regtype, 'numeric'::regtype)
        AND n.nspname NOT IN ${NON_USER_SCHEMAS_SQL} AND n.nspname NOT LIKE 'pg\\_%'
        AND ($1::text[] IS NULL OR n.nspname || '.' || c.relname = ANY ($1::text[]))
      ORDER BY 1`,
    [names],
  );
  return rows.map((r) => r.column);
}

/** Why a wal2json before 2.6 cannot follow `columns` (as `schema.table.column`) exactly. */
export function wal2jsonNumbersLossMessage(columns: readonly string[]): string {
  return (
    `wal2json on the source is older than 2.6 (no option ${WAL2JSON_NUMBERS_AS_STRINGS}): it would send NaN and ` +
    `Infinity as null, indistinguishable from NULL, in ${nameSomeColumns(columns)}`
  );
}

/** `columns` for a message: the first five, then how many more. */
function nameSomeColumns(columns: readonly string[], limit = 5): string {
  const more = columns.length > limit ? ` and ${columns.length - limit} more` : '';
  return columns.slice(0, limit).join(', ') + more;
}
