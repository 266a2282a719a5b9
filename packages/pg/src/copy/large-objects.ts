import { PgshiftError } from '@pgshift/plugin-api';
import type pg from 'pg';
import { inTransaction } from '../transaction.js';

/*
 * Large objects' contents, copied object by object through descriptors (lo_open, loread,
 * lowrite: every major from 9.3 has them), one chunk in memory at a time. Each object is created
 * on the target and filled in one transaction, so after a crash it is either there whole or not
 * at all: a rerun copies exactly those that are not there, and none twice.
 */

const INV_READ = 0x40000;
const INV_WRITE = 0x20000;

export interface LargeObjectCopyOptions {
  /** Bytes read and written at a time (default 1 MiB). */
  chunkBytes?: number;
  signal?: AbortSignal;
  /** Called once an object is committed on the target. */
  onCopied?: (oid: string, bytes: number) => void;
}

export interface LargeObjectCopyResult {
  copied: number;
  bytes: number;
  /** Already on the target (copied by an earlier run). */
  alreadyThere: number;
  /** Listed but gone from the source by the time the copy read it. */
  goneFromSource: string[];
}

/** A large object could not be copied; names it. */
export class LargeObjectCopyError extends PgshiftError {
  constructor(oid: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('PGSHIFT_COPY_FAILED', `copying large object ${oid} failed: ${reason}`, {
      remedy:
        'fix the cause (reading a large object needs SELECT on it, or a superuser) and run again; copied objects are kept',
      cause,
      details: { largeObject: oid },
    });
  }
}

/**
 * Copies the contents of the large objects `oids` from `source` to `target`, creating each on
 * the target under the same oid. The source is read in one REPEATABLE READ transaction, so every
 * object is read as of one moment. Objects already on the target are taken as copied.
 */
export async function copyLargeObjects(
  source: pg.Client,
  target: pg.Client,
  oids: readonly string[],
  options: LargeObjectCopyOptions = {},
): Promise<LargeObjectCopyResult> {
  const result: LargeObjectCopyResult = { copied: 0, bytes: 0, alreadyThere: 0, goneFromSource: [] };
  if (oids.length === 0) return result;
  const present = await existing(target, oids);
  const todo = oids.filter((oid) => !present.has(oid));
  result.alreadyThere = oids.length - todo.length;
  if (todo.length === 0) return result;
  // Not inTransaction: a read-only snapshot for a consistent view of the source, always rolled
  // back (there is nothing to commit, and a failed end must not undo a copy already made).
  await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const onSource = await existing(source, todo);
    for (const oid of todo) {
      if (options.signal?.aborted) break;
      if (!onSource.has(oid)) {
        result.goneFromSource.push(oid);
        continue;
      }
      const bytes = await copyOne(source, target, oid, options.chunkBytes ?? 1024 * 1024);
      result.copied++;
      result.bytes += bytes;
      options.onCopied?.(oid, bytes);
    }
  } finally {
    await source.query('ROLLBACK').catch(() => {});
  }
  return result;
}

async function existing(client: pg.Client, oids: readonly string[]): Promise<Set<string>> {
  const { rows } = await client.query<{ oid: string }>(
    'SELECT oid::text AS oid FROM pg_catalog.pg_largeobject_metadata WHERE oid = ANY ($1::pg_catalog.oid[])',
    [oids],
  );
  return new Set(rows.map((r) => r.oid));
}

async function openLargeObject(client: pg.Client, oid: string, mode: number): Promise<number> {
  const { rows } = await client.query<{ fd: number }>(
    'SELECT pg_catalog.lo_open($1::pg_catalog.oid, $2) AS fd',
    [oid, mode],
  );
  return rows[0]?.fd as number;
}

/** Creates `oid` on the target and fills it, in one target transaction; returns its size. */
async function copyOne(
  source: pg.Client,
  target: pg.Client,
  oid: string,
  chunkBytes: number,
): Promise<number> {
  try {
    const from = await openLargeObject(source, oid, INV_READ);
    const bytes = await inTransaction(target, async () => {
      await target.query('SELECT pg_catalog.lo_create($1::pg_catalog.oid)', [oid]);
      const to = await openLargeObject(target, oid, INV_WRITE);
      let total = 0;
      for (;;) {
        const { rows } = await source.query<{ data: Buffer }>('SELECT pg_catalog.loread($1, $2) AS data', [
          from,
          chunkBytes,
        ]);
        const data = rows[0]?.data ?? Buffer.alloc(0);
        if (data.length > 0) await target.query('SELECT pg_catalog.lowrite($1, $2)', [to, data]);
        total += data.length;
        if (data.length < chunkBytes) return total;
      }
    });
    // Descriptors last until the transaction ends; the source's is long, so close each one.
    await source.query('SELECT pg_catalog.lo_close($1)', [from]);
    return bytes;
  } catch (error) {
    throw new LargeObjectCopyError(oid, error);
  }
}
