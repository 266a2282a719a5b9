import type pg from 'pg';
import { serverVersionNum } from '../server-version.js';
import { SchemaError } from './errors.js';

function major(versionNum: number): number {
  return Math.floor(versionNum / 10_000);
}

/** Refuses a target whose major is older than the source's: its DDL may not parse there. */
export function assertTargetNotOlder(sourceVersionNum: number, targetVersionNum: number): void {
  const source = major(sourceVersionNum);
  const target = major(targetVersionNum);
  if (target < source)
    throw new SchemaError(
      'PGSHIFT_TARGET_OLDER',
      `the target runs PostgreSQL ${target}, older than the source's PostgreSQL ${source}; schema and data can only move to the same or a newer major`,
      {
        remedy: `use a target server running PostgreSQL ${source} or newer`,
        details: { sourceMajor: source, targetMajor: target },
      },
    );
}

/** Reads both servers' versions and refuses a target older than the source. */
export async function targetMajorCheck(
  source: pg.Client,
  target: pg.Client,
): Promise<{ sourceMajor: number; targetMajor: number }> {
  const [s, t] = [await serverVersionNum(source), await serverVersionNum(target)];
  assertTargetNotOlder(s, t);
  return { sourceMajor: major(s), targetMajor: major(t) };
}
