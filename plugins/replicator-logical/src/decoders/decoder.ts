import type { DecoderFormat, ReplicationContext, SqlSession } from '@pgshift/plugin-api';
import type { Change } from '../model.js';

/**
 * Turns the payload of one XLogData message into changes. `lsn()` is the message's WAL position;
 * for a commit the text formats give nothing better than it (it is the commit record's end).
 */
export interface Decoder {
  readonly format: DecoderFormat;
  /**
   * Settles what depends on the source before streaming starts, through `source` (a session in
   * the slot's database, the slot not in use); may refuse with a coded error.
   */
  prepare?(source: SqlSession, ctx: ReplicationContext): Promise<void>;
  /** The option list of START_REPLICATION ... LOGICAL, e.g. `proto_version '1'`. */
  startOptions(): string[];
  decode(payload: Buffer, lsn: () => string): Change[];
}

/** Quotes an option value for the replication command grammar (a SQL string literal). */
export function optionLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
