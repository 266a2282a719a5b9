import { checkResult, listNames } from '@pgshift/pg';
import type { Checker, CheckResult, CheckStatus } from '@pgshift/plugin-api';
import type { PlanFindings } from './plan-findings.js';
import { byDatabase } from './remedy-lines.js';

/** selection.foreign-keys reports these, with the tables to add to the selection. */
const FOREIGN_KEY_OUTSIDE = 'foreign key to a table outside the selection';

/**
 * How the plan says that it leaves something out only when the target session is not a
 * superuser (schema/ddl-table.ts); the check knows the target's role, so it drops those items
 * when the run will carry them.
 */
const UNLESS_TARGET_SUPERUSER = '(set only when the target session is a superuser)';

interface Listed {
  database: string;
  kind: string;
  name: string;
  needs?: string[];
}

/** What the check knows of the migration besides the plans. */
export interface SkippedContext {
  /** Plugin options: `allowSkipped`. */
  options: Record<string, unknown>;
  /** Whether the run's target session is a superuser. */
  targetSuperuser: boolean;
}

const label = (o: Listed) =>
  `${o.kind} ${o.name}${o.needs ? ` (needs ${o.needs.join(', ')})` : ''} in ${o.database}`;

/** The kinds the user allows to be left out, as written. */
function allowedKinds(options: Record<string, unknown>): string[] {
  const list = Array.isArray(options.allowSkipped) ? options.allowSkipped : [];
  return list.filter((k): k is string => typeof k === 'string');
}

function refusedRemedy(refused: Listed[], written: string[]): string[] {
  const kinds = [...new Set([...written, ...refused.map((o) => o.kind)])];
  return [
    'either recreate them on the target yourself after the schema copy and allow their kinds:',
    `plugins: [{ use: check-schema-objects, options: { allowSkipped: [${kinds.map((k) => JSON.stringify(k)).join(', ')}] } }]`,
    ...(refused.some((o) => o.kind.endsWith(UNLESS_TARGET_SUPERUSER))
      ? ['or connect to the target as a superuser (target.user), which lets the copy carry them,']
      : []),
    'or remove on the source what keeps the copy from carrying them (the kind says what it is):',
    ...byDatabase(refused.map((o) => ({ database: o.database, remedy: `-- ${o.kind}: ${o.name}` }))),
  ];
}

/**
 * The `source.schema-objects` item: Failed for objects the plan does not create (unless their
 * kind is allowed, then Warning) and for databases whose schema cannot be planned; Warning for
 * objects left out because they need a table outside the selection.
 */
export function skippedItem(
  checker: Pick<Checker, 'id' | 'title'>,
  findings: PlanFindings[],
  context: SkippedContext,
): CheckResult {
  const written = allowedKinds(context.options);
  // Kinds compare without regard to case.
  const allowed = new Set(written.map((k) => k.toLowerCase()));
  const refused: Listed[] = [];
  const tolerated: Listed[] = [];
  const leftOut: Listed[] = [];
  for (const f of findings)
    for (const s of f.skipped) {
      if (s.kind === FOREIGN_KEY_OUTSIDE) continue;
      if (context.targetSuperuser && s.kind.endsWith(UNLESS_TARGET_SUPERUSER)) continue;
      const listed = { database: f.database, ...s };
      if (s.needs && s.needs.length > 0) leftOut.push(listed);
      else (allowed.has(s.kind.toLowerCase()) ? tolerated : refused).push(listed);
    }
  const errors = findings.filter((f) => f.error);

  const message: string[] = [];
  const remedy: string[] = [];
  for (const f of errors) {
    message.push(`the schema of database ${f.database} cannot be planned: ${f.error?.message}`);
    remedy.push(
      f.error?.remedy ??
        `change or drop the object named above on the source (database ${f.database}), or leave its tables out of the selection`,
    );
  }
  if (refused.length > 0) {
    message.push(
      `the schema copy does not create these objects on the target: ${listNames(refused.map(label))}`,
    );
    remedy.push(...refusedRemedy(refused, written));
  }
  if (tolerated.length > 0) {
    message.push(`not created on the target, allowed by allowSkipped: ${listNames(tolerated.map(label))}`);
    remedy.push('recreate the allowed objects on the target by hand after the schema copy, if it needs them');
  }
  if (leftOut.length > 0) {
    message.push(`left out with the tables outside the selection: ${listNames(leftOut.map(label))}`);
    remedy.push(
      'to keep them, add the tables they need to objects.include (or remove them from objects.exclude)',
    );
  }

  if (message.length === 0)
    return checkResult(
      checker,
      'pass',
      `the schema copy creates every object of ${findings.length === 1 ? 'the selected database' : `the ${findings.length} selected databases`}`,
    );
  const status: CheckStatus = errors.length > 0 || refused.length > 0 ? 'failed' : 'warning';
  return checkResult(checker, status, message.join('; '), remedy.join('\n'), {
    notCreated: refused,
    allowed: tolerated,
    leftOut,
    planErrors: errors.map((f) => ({ database: f.database, message: f.error?.message })),
  });
}
