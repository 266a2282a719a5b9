import type pg from 'pg';
import { majorName, majorVersion, serverVersionNum } from '../server-version.js';
import { SchemaError } from './errors.js';

/**
 * The one rule on versions between the two sides: the target must not run an older major than
 * the source, since the source's DDL may not parse there. Undefined when the pair is fine.
 */
export function targetOlderProblem(
  sourceVersionNum: number,
  targetVersionNum: number,
): { message: string; remedy: string } | undefined {
  if (majorVersion(targetVersionNum) >= majorVersion(sourceVersionNum)) return undefined;
  const source = majorName(sourceVersionNum);
  return {
    message: `the target runs PostgreSQL ${majorName(targetVersionNum)}, older than the source's PostgreSQL ${source}; schema and data can only move to the same or a newer major`,
    remedy: `use a target server running PostgreSQL ${source} or newer`,
  };
}

/** Refuses a target whose major is older than the source's. */
export function assertTargetNotOlder(sourceVersionNum: number, targetVersionNum: number): void {
  const problem = targetOlderProblem(sourceVersionNum, targetVersionNum);
  if (problem)
    throw new SchemaError('PGSHIFT_TARGET_OLDER', problem.message, {
      remedy: problem.remedy,
      details: { sourceMajor: majorVersion(sourceVersionNum), targetMajor: majorVersion(targetVersionNum) },
    });
}

/** Reads both servers' versions and refuses a target older than the source. */
export async function targetMajorCheck(
  source: pg.Client,
  target: pg.Client,
): Promise<{ sourceMajor: number; targetMajor: number }> {
  const [s, t] = [await serverVersionNum(source), await serverVersionNum(target)];
  assertTargetNotOlder(s, t);
  return { sourceMajor: majorVersion(s), targetMajor: majorVersion(t) };
}
