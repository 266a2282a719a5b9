import { NON_USER_SCHEMAS_SQL } from '@pgshift/pg';
import type { ReplicationContext } from '@pgshift/plugin-api';
import type pg from 'pg';
import { CODES, ReplicationError } from './errors.js';

/** The wal2json option (2.6 and later) that sends numbers, NaN and Infinity among them, as strings. */
export const NUMBERS_AS_STRINGS = 'numeric-data-types-as-string';

/** How many offending columns an error names before it says "and N more". */
const NAMED_COLUMNS = 5;

/**
 * Whether the source's wal2json knows NUMBERS_AS_STRINGS. A peek on the (inactive) slot that stops
 * after one WAL record runs wal2json's startup, which refuses an unknown option with 22023.
 */
export async function acceptsNumbersAsStrings(client: pg.Client, slotName: string): Promise<boolean> {
  try {
    await client.query(
      `SELECT count(*) FROM pg_logical_slot_peek_changes($1, '0/1', NULL, '${NUMBERS_AS_STRINGS}', '1')`,
      [slotName],
    );
    return true;
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code === '22023' && message?.includes(NUMBERS_AS_STRINGS)) return false;
    throw error;
  }
}

/**
 * Columns of the followed tables whose type has NaN or Infinity (real, double precision, numeric):
 * without NUMBERS_AS_STRINGS wal2json sends those values as JSON null, the same as a NULL.
 */
async function columnsWithSpecialNumbers(client: pg.Client, ctx: ReplicationContext): Promise<string[]> {
  const tables = ctx.database.whole ? null : ctx.database.tables.map((t) => `${t.schema}.${t.name}`);
  const { rows } = await client.query<{ column: string }>(
    `SELECT format('%I.%I.%I', n.nspname, c.relname, a.attname) AS column
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        AND a.atttypid IN ('real'::regtype, 'double precision'::regtype, 'numeric'::regtype)
        AND n.nspname NOT IN ${NON_USER_SCHEMAS_SQL} AND n.nspname NOT LIKE 'pg\\_%'
        AND ($1::text[] IS NULL OR n.nspname || '.' || c.relname = ANY ($1::text[]))
      ORDER BY 1`,
    [tables],
  );
  return rows.map((r) => r.column);
}

/**
 * Decides whether the wal2json stream asks for numbers as strings. When the source's wal2json is
 * older than 2.6, going on is safe only if no followed column can hold NaN or Infinity; otherwise
 * this refuses, since those values would arrive as NULL.
 */
export async function wal2jsonNumbersAsStrings(client: pg.Client, ctx: ReplicationContext): Promise<boolean> {
  if (await acceptsNumbersAsStrings(client, ctx.slotName)) return true;
  const columns = await columnsWithSpecialNumbers(client, ctx);
  if (columns.length === 0) {
    ctx.logger.info(
      `wal2json on the source predates option ${NUMBERS_AS_STRINGS}; no followed column is real, ` +
        'double precision or numeric, so plain JSON numbers (read without rounding) are exact',
    );
    return false;
  }
  const named = columns.slice(0, NAMED_COLUMNS).join(', ');
  const more = columns.length > NAMED_COLUMNS ? ` and ${columns.length - NAMED_COLUMNS} more` : '';
  throw new ReplicationError(
    CODES.unsupportedFormat,
    `wal2json on the source is older than 2.6 (no option ${NUMBERS_AS_STRINGS}): it would send NaN and ` +
      `Infinity as null, indistinguishable from NULL, in ${named}${more}`,
    {
      remedy:
        'upgrade wal2json on the source to 2.6 or later, or follow with the pgoutput or test_decoding output plugin',
    },
  );
}
