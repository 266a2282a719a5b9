import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { quoteIdent } from '../quote.js';
import type { ChunkSpec, TableInfo } from './types.js';

/** Columns that receive data: generated columns are computed by the target itself. */
export function copyColumns(table: TableInfo): string {
  return table.columns
    .filter((c) => !c.generated)
    .map((c) => quoteIdent(c.name))
    .join(', ');
}

/**
 * Source side of a chunk. Text format: binary COPY embeds type OIDs in arrays and composites, which
 * differ between servers for user-defined types, and binary layouts are only promised within one
 * major; the text form of every type is what each server's input function accepts, read under the
 * same fixed settings on both sides. `FROM ONLY` keeps inheritance children out (they are copied
 * as tables of their own). Identity ALWAYS columns need nothing: COPY FROM writes supplied values.
 */
export function sourceCopySql(table: TableInfo, chunk: ChunkSpec): string {
  const columns = copyColumns(table);
  if (!chunk.predicate) return `COPY ${table.key}${columnList(columns)} TO STDOUT`;
  return `COPY (SELECT ${columns} FROM ONLY ${table.key} WHERE ${chunk.predicate}) TO STDOUT`;
}

export function targetCopySql(table: TableInfo): string {
  return `COPY ${table.key}${columnList(copyColumns(table))} FROM STDIN`;
}

/** A table without copyable columns still has rows: COPY's default list (no generated columns) moves them. */
function columnList(columns: string): string {
  return columns ? ` (${columns})` : '';
}

/**
 * Streams one chunk from a source session (already inside its snapshot transaction) into the target
 * session's open transaction. Backpressure holds: pipeline() pauses the source socket while the
 * target's socket is full, so memory stays bounded by the streams' buffers.
 */
export async function pumpChunk(
  source: pg.Client,
  target: pg.Client,
  table: TableInfo,
  chunk: ChunkSpec,
  onBytes: (bytes: number) => void,
): Promise<{ rows: number; bytes: number }> {
  let bytes = 0;
  const counter = new Transform({
    transform(data: Buffer, _encoding, callback) {
      bytes += data.length;
      onBytes(data.length);
      callback(null, data);
    },
  });
  const sink = target.query(copyFrom(targetCopySql(table)));
  const stream = source.query(copyTo(sourceCopySql(table, chunk)));
  await pipeline(stream, counter, sink);
  // The source stream ends at CopyDone; its CommandComplete (with the row count) follows. A query
  // behind it on the same session succeeds only once the COPY completed there, so a source that
  // died after its last row is caught before the chunk is committed.
  await source.query('SELECT 1');
  if (stream.rowCount !== sink.rowCount) {
    throw new Error(`the source sent ${stream.rowCount} rows but the target received ${sink.rowCount}`);
  }
  return { rows: sink.rowCount, bytes };
}
