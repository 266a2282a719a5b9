import {
  columnsWithSpecialNumbers,
  WAL2JSON_NUMBERS_AS_STRINGS,
  wal2jsonAcceptsNumbersAsStrings,
  wal2jsonNumbersLossMessage,
} from '@pgshift/pg';
import type { ReplicationContext, SqlSession } from '@pgshift/plugin-api';
import { CODES, ReplicationError } from './errors.js';

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
  throw new ReplicationError(CODES.unsupportedFormat, wal2jsonNumbersLossMessage(columns), {
    remedy:
      'upgrade wal2json on the source to 2.6 or later, or follow with the pgoutput or test_decoding output plugin',
  });
}
