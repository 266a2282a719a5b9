import type pg from 'pg';

/** The server's `server_version_num`, e.g. 170004 or 90624. */
export async function serverVersionNum(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ v: string }>(
    "SELECT pg_catalog.current_setting('server_version_num') AS v",
  );
  return Number(rows[0]?.v);
}

/** The major version as PostgreSQL names it: 17 for 170004, 9.6 for 90624 (before 10 it had two parts). */
export function majorVersion(versionNum: number): number {
  return versionNum >= 100000 ? Math.floor(versionNum / 10000) : Math.floor(versionNum / 100) / 10;
}
