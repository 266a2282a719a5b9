import type { Throttle } from '@pgshift/plugin-api';
import type pg from 'pg';
import { quoteIdent } from '../quote.js';
import { forwardCopy } from './copy-forward.js';
import type { ChunkSpec, TableInfo } from './types.js';

/** Columns that receive data: generated columns are computed by the target itself. */
export function copyColumns(table: TableInfo): string {
  return table.columns
    .filter((c) => !c.generated)
    .map((c) => quoteIdent(c.name))
    .join(', ');
}

/** How one chunk travels: see binaryCopyable and emptyForFreeze. */
export interface CopyFormat {
  binary?: boolean;
  freeze?: boolean;
}

/**
 * Whether a table may be copied in binary format: the two servers run the same major and every
 * copied column is `sendable` (a built-in type whose binary form both servers share). Binary COPY
 * costs both servers less than text (no number, date or timestamp formatting and parsing, bytea
 * not hex-encoded). Otherwise text: binary COPY embeds type oids in arrays and composites, which
 * differ between servers for user-defined types, and binary layouts are only promised within one
 * major, while the text form of every type is what each server's input function accepts, read
 * under the same fixed settings on both sides.
 */
export function binaryCopyable(table: TableInfo, sameMajor: boolean): boolean {
  const columns = table.columns.filter((c) => !c.generated);
  return sameMajor && columns.length > 0 && columns.every((c) => c.sendable === true);
}

function withOptions(format: CopyFormat): string {
  const options = [format.binary ? 'FORMAT binary' : '', format.freeze ? 'FREEZE' : ''].filter(Boolean);
  return options.length > 0 ? ` WITH (${options.join(', ')})` : '';
}

/**
 * Source side of a chunk. `FROM ONLY` keeps inheritance children out (they are copied as tables of
 * their own). Identity ALWAYS columns need nothing: COPY FROM writes supplied values.
 */
export function sourceCopySql(table: TableInfo, chunk: ChunkSpec, format: CopyFormat = {}): string {
  const columns = copyColumns(table);
  const options = withOptions({ binary: format.binary === true });
  if (!chunk.predicate) return `COPY ${table.key}${columnList(columns)} TO STDOUT${options}`;
  return `COPY (SELECT ${columns} FROM ONLY ${table.key} WHERE ${chunk.predicate}) TO STDOUT${options}`;
}

/** `freeze`: the table was emptied in this transaction (see emptyForFreeze). */
export function targetCopySql(table: TableInfo, format: CopyFormat = {}): string {
  return `COPY ${table.key}${columnList(copyColumns(table))} FROM STDIN${withOptions(format)}`;
}

/**
 * Empties a table that one chunk copies whole, inside that chunk's open target transaction, so
 * its COPY may use FREEZE: rows are written frozen and their pages all-visible, which spares the
 * target setting hint bits (and dirtying every page again) when the indexes are built, and sparing
 * autovacuum a freeze pass later. COPY FREEZE needs the table created or truncated in the current
 * (sub)transaction. Emptying is safe: an unfinished whole chunk means no rows of this table were
 * committed by the copy (its earlier attempts rolled back with their marks), and the target must
 * hold the source's rows only. When TRUNCATE is refused (another table references this one by a
 * foreign key, no TRUNCATE privilege) the savepoint undoes the attempt and the COPY runs without
 * FREEZE. Returns whether FREEZE may be used.
 */
export async function emptyForFreeze(target: pg.Client, table: TableInfo): Promise<boolean> {
  try {
    await target.query(
      `SAVEPOINT pgshift_freeze; TRUNCATE ONLY ${table.key}; RELEASE SAVEPOINT pgshift_freeze`,
    );
    return true;
  } catch {
    await target.query('ROLLBACK TO SAVEPOINT pgshift_freeze; RELEASE SAVEPOINT pgshift_freeze');
    return false;
  }
}

/** A table without copyable columns still has rows: COPY's default list (no generated columns) moves them. */
function columnList(columns: string): string {
  return columns ? ` (${columns})` : '';
}

/**
 * Streams one chunk from a source session (already inside its snapshot transaction) into the target
 * session's open transaction, the source's CopyData frames written to the target socket as they
 * arrive (see copy-forward.ts). Backpressure holds: the source socket pauses while the target's is
 * full, so memory stays bounded by the sockets' buffers. With a throttle (the task's copy limit)
 * it also pauses while the throttle says to wait.
 */
export async function pumpChunk(
  source: pg.Client,
  target: pg.Client,
  table: TableInfo,
  chunk: ChunkSpec,
  onBytes: (bytes: number) => void,
  format: CopyFormat = {},
  throttle?: Throttle,
): Promise<{ rows: number; bytes: number }> {
  // Resolves only once both servers completed their command (CommandComplete and ReadyForQuery),
  // so a source that died after its last row is caught before the chunk is committed.
  const copied = await forwardCopy(
    source,
    target,
    sourceCopySql(table, chunk, format),
    targetCopySql(table, format),
    onBytes,
    throttle,
  );
  if (copied.sourceRows !== copied.targetRows) {
    throw new Error(`the source sent ${copied.sourceRows} rows but the target received ${copied.targetRows}`);
  }
  return { rows: copied.targetRows, bytes: copied.bytes };
}
