/** Environment through which `pgshift conformance` tells its suite file what to run. */
export const RUNNER_ENV = {
  ref: 'PGSHIFT_CONFORMANCE_PLUGIN',
  baseDir: 'PGSHIFT_CONFORMANCE_BASE_DIR',
  majors: 'PGSHIFT_CONFORMANCE_MAJORS',
} as const;

/**
 * The PostgreSQL majors to run on: those `pgshift conformance --pg` asked for, else `fallback`.
 * Scaffolded tests pass their suite `majors: conformanceMajors()` so both ways of running agree.
 */
export function conformanceMajors(fallback: readonly number[] = [17]): number[] {
  const text = process.env[RUNNER_ENV.majors];
  if (!text) return [...fallback];
  return text
    .split(',')
    .map((s) => Number.parseInt(s.trim(), 10))
    .filter((n) => Number.isInteger(n) && n > 0);
}
