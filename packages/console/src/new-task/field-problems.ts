import type { ConfigProblem } from '@pgshift/plugin-api';

/**
 * The input a problem belongs to: its path, or for a missing required field the field's own
 * path (the kernel reports those at the enclosing object: `source: missing required field "host"`).
 */
export function problemField(problem: ConfigProblem): string {
  const missing = /^missing required field "([^"]+)"$/.exec(problem.message);
  if (!missing) return problem.path;
  return problem.path ? `${problem.path}.${missing[1]}` : (missing[1] ?? '');
}

/** Problems grouped by the input they belong to. */
export function problemsByField(problems: readonly ConfigProblem[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of problems) {
    const field = problemField(p);
    out.set(field, [...(out.get(field) ?? []), p.message]);
  }
  return out;
}

/** The summary line, as the CLI prints it. */
export function problemLine(problem: ConfigProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}
