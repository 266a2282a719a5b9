import type pg from 'pg';
import { hasFeature } from '../server-features.js';

/**
 * Whether a commit on the source is already in the WAL (so sync may have applied it) but not yet
 * visible to other sessions. A commit waits so while a synchronous standby confirms it; a row read
 * then can look unchanged although the target already holds its change, so live verify takes no
 * verdict and writes no repair while one waits. (Without a synchronous standby the moment between
 * writing a commit and showing it lasts microseconds, far less than sync takes to apply it.)
 * 9.4 and 9.5 do not name that wait: there any synchronous standby counts as one.
 */
export async function commitsInFlight(source: pg.Client, versionNum: number): Promise<boolean> {
  const sql = hasFeature(versionNum, 'waitEvents')
    ? "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity WHERE wait_event = 'SyncRep') AS waiting"
    : "SELECT current_setting('synchronous_standby_names') <> '' AS waiting";
  const { rows } = await source.query<{ waiting: boolean }>(sql);
  return rows[0]?.waiting === true;
}
