import { createHash } from 'node:crypto';
import type pg from 'pg';
import { inSavepoint } from '../transaction.js';

/** What verify found about the large objects of a database. */
export interface LargeObjectVerification {
  sourceCount: number;
  targetCount: number;
  /** Objects one side lacks, or whose contents differ. */
  differences: LargeObjectDifference[];
  /** They could not be read on one side (no SELECT on an object, say). */
  error?: string;
}

export interface LargeObjectDifference {
  oid: string;
  problem: 'missing' | 'extra' | 'different';
  sourceBytes?: number;
  targetBytes?: number;
}

const INV_READ = 0x40000;

/**
 * Compares the large objects of both sides by their oids and, for each, its size and a hash of
 * its contents. The hash is computed on each server chunk by chunk (md5 of each chunk read through
 * a descriptor, those hashes hashed again here): only hashes travel, and no server holds a whole
 * object in memory. Runs inside the caller's transactions; a savepoint keeps a failure here from
 * ending them.
 */
export async function compareLargeObjects(
  source: pg.Client,
  target: pg.Client,
  chunkBytes = 1024 * 1024,
): Promise<LargeObjectVerification> {
  try {
    return await inSavepoint([source, target], 'verify_lo', async () => {
      const [onSource, onTarget] = await Promise.all([oids(source), oids(target)]);
      const result: LargeObjectVerification = {
        sourceCount: onSource.length,
        targetCount: onTarget.length,
        differences: [],
      };
      const inTarget = new Set(onTarget);
      for (const oid of onSource) {
        if (!inTarget.has(oid)) {
          result.differences.push({ oid, problem: 'missing' });
          continue;
        }
        const [s, t] = await Promise.all([digest(source, oid, chunkBytes), digest(target, oid, chunkBytes)]);
        if (s.bytes !== t.bytes || s.hash !== t.hash)
          result.differences.push({ oid, problem: 'different', sourceBytes: s.bytes, targetBytes: t.bytes });
      }
      const inSource = new Set(onSource);
      for (const oid of onTarget) if (!inSource.has(oid)) result.differences.push({ oid, problem: 'extra' });
      return result;
    });
  } catch (error) {
    return { sourceCount: 0, targetCount: 0, differences: [], error: (error as Error).message };
  }
}

async function oids(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ oid: string }>(
    'SELECT m.oid::text AS oid FROM pg_catalog.pg_largeobject_metadata m ORDER BY m.oid',
  );
  return rows.map((r) => r.oid);
}

async function digest(
  client: pg.Client,
  oid: string,
  chunkBytes: number,
): Promise<{ bytes: number; hash: string }> {
  const { rows } = await client.query<{ fd: number }>(
    'SELECT pg_catalog.lo_open($1::pg_catalog.oid, $2) AS fd',
    [oid, INV_READ],
  );
  const fd = rows[0]?.fd;
  const hash = createHash('md5');
  let bytes = 0;
  for (;;) {
    // OFFSET 0 keeps loread in the subquery, evaluated once per chunk.
    const chunk = await client.query<{ h: string; n: number }>(
      `SELECT pg_catalog.md5(x.d) AS h, pg_catalog.length(x.d) AS n
         FROM (SELECT pg_catalog.loread($1, $2) AS d OFFSET 0) x`,
      [fd, chunkBytes],
    );
    const { h, n } = chunk.rows[0] as { h: string; n: number };
    hash.update(h);
    bytes += n;
    if (n < chunkBytes) break;
  }
  await client.query('SELECT pg_catalog.lo_close($1)', [fd]);
  return { bytes, hash: hash.digest('hex') };
}
