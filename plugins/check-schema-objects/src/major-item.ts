import { checkResult, listNames, majorName, majorVersion } from '@pgshift/pg';
import type { Checker, CheckResult } from '@pgshift/plugin-api';
import type { MajorFinding, Versions } from './major-findings.js';
import { byDatabase } from './remedy-lines.js';

export const MAJOR_ITEM = {
  id: 'target.major-compatibility',
  title: "Source objects the target's major can create",
} as const satisfies Pick<Checker, 'id' | 'title'>;

/** The `target.major-compatibility` item: Failed for every object a later target major cannot create. */
export function majorItem(findings: MajorFinding[], v: Versions): CheckResult {
  const target = `PostgreSQL ${majorName(v.target)}`;
  if (majorVersion(v.target) <= majorVersion(v.source))
    return checkResult(
      MAJOR_ITEM,
      'pass',
      majorVersion(v.target) === majorVersion(v.source)
        ? `the target runs the same major as the source (${target})`
        : 'does not apply: the target runs an older major than the source (see versions)',
    );
  if (findings.length === 0)
    return checkResult(
      MAJOR_ITEM,
      'pass',
      `nothing in the selected databases needs what ${target} no longer has`,
    );
  return checkResult(
    MAJOR_ITEM,
    'failed',
    `the target (${target}) cannot create these objects of the source (PostgreSQL ${majorName(v.source)}): ${listNames(findings.map((f) => `${f.problem} (in ${f.database})`))}`,
    ['change them on the source before the migration:', ...byDatabase(findings)].join('\n'),
    { objects: findings },
  );
}
