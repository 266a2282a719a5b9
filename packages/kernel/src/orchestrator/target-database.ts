import { quoteIdent, quoteLiteral } from '@pgshift/pg';
import type { ServerHandle } from '@pgshift/plugin-api';

/**
 * Creates the database on the target when it is missing, with the source's encoding. Collation
 * and ctype are left to the target's defaults: a locale the target lacks would make CREATE fail,
 * and the settings precheck already warns when they differ.
 */
export async function ensureTargetDatabase(source: ServerHandle, target: ServerHandle, database: string) {
  const existing = await target.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (existing.rows.length > 0) return false;
  const { rows } = await source.query<{ encoding: string }>(
    'SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = $1',
    [database],
  );
  const encoding = rows[0]?.encoding ?? 'UTF8';
  await target.query(
    `CREATE DATABASE ${quoteIdent(database)} TEMPLATE template0 ENCODING ${quoteLiteral(encoding)}`,
  );
  return true;
}
