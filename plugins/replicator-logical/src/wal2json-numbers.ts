import {
  columnsWithSpecialNumbers,
  nameSomeColumns,
  WAL2JSON_NUMBERS_AS_STRINGS,
  wal2jsonAcceptsNumbersAsStrings,
} from '@pgshift/pg';
import type { ReplicationContext, SqlSession } from '@pgshift/plugin-api';
import { CODES, ReplicationError } from './errors.js';

/** The remedy for a wal2json that cannot send NaN and Infinity exactly. */
export const OLD_WAL2JSON_REMEDY =
  'upgrade wal2json on the source to 2.6 or later, or follow with the pgoutput or test_decoding output plugin';

/**
 * Decides whether the wal2json stream asks for numbers as strings. When the source's wal2json is
 * older than 2.6, going on is safe only if no followed column can hold NaN or Infinity; otherwise
 * this refuses, since those values would arrive as NULL. `session` is in the slot's database.
 */
export async function wal2jsonNumbersAsStrings(
  session: SqlSession,
  ctx: ReplicationContext,
): Promise<boolean> {
  if (await wal2jsonAcceptsNumbersAsStrings(session, ctx.slotName)) return true;
  const columns = await columnsWithSpecialNumbers(
    session,
    ctx.database.whole ? undefined : ctx.database.tables,
  );
  if (columns.length === 0) {
    ctx.logger.info(
      `wal2json on the source predates option ${WAL2JSON_NUMBERS_AS_STRINGS}; no followed column is real, ` +
        'double precision or numeric, so plain JSON numbers (read without rounding) are exact',
    );
    return false;
  }
  throw new ReplicationError(
    CODES.unsupportedFormat,
    `wal2json on the source is older than 2.6 (no option ${WAL2JSON_NUMBERS_AS_STRINGS}): it would send NaN ` +
      `and Infinity as null, indistinguishable from NULL, in ${nameSomeColumns(columns)}`,
    { remedy: OLD_WAL2JSON_REMEDY },
  );
}
