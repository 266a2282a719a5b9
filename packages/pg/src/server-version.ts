import type pg from 'pg';

/** The server's `server_version_num`, e.g. 170004 or 90624. */
export async function serverVersionNum(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ v: string }>(
    "SELECT pg_catalog.current_setting('server_version_num') AS v",
  );
  return Number(rows[0]?.v);
}

/**
 * The major version as PostgreSQL names it: 17 for 170004, 9.6 for 90624 (before 10 a major had
 * two parts, 9.6 and 9.5 are different majors). Majors compare correctly as numbers.
 */
export function majorVersion(versionNum: number): number {
  if (versionNum >= 100000) return Math.floor(versionNum / 10000);
  const first = Math.floor(versionNum / 10000);
  const second = Math.floor(versionNum / 100) % 100;
  return Number(`${first}.${second}`);
}

/** The first `server_version_num` of a major: 90500 for 9.5, 170000 for 17 (majorVersion's inverse). */
export function firstVersionNum(major: number): number {
  if (major >= 10) return Math.floor(major) * 10000;
  const [first, second = '0'] = String(major).split('.');
  return Number(first) * 10000 + Number(second) * 100;
}

/** `9.5` or `17`: the major as people write it. */
export function majorName(versionNum: number): string {
  return String(majorVersion(versionNum));
}
