import type { Checker, CheckResult, CheckStatus } from '@pgshift/plugin-api';
import { describeError } from './errors.js';

/** Builds one result item for a checker; the remedy is left out of Pass items that have none. */
export function checkResult(
  checker: Pick<Checker, 'id' | 'title'>,
  status: CheckStatus,
  message: string,
  remedy?: string,
  details?: Record<string, unknown>,
): CheckResult {
  return {
    id: checker.id,
    title: checker.title,
    status,
    message,
    ...(remedy === undefined ? {} : { remedy }),
    ...(details === undefined ? {} : { details }),
  };
}

/**
 * Runs a check body and turns any exception (an unreachable server, a missing privilege) into a
 * Failed item, so a server problem is reported rather than thrown.
 */
export async function guardCheck(
  checker: Pick<Checker, 'id' | 'title'>,
  body: () => Promise<CheckResult | CheckResult[]>,
  remedy = 'make sure both servers are reachable with the configured credentials (see the connectivity items), then run the check again',
): Promise<CheckResult | CheckResult[]> {
  try {
    return await body();
  } catch (error) {
    return checkResult(checker, 'failed', `the check could not run: ${describeError(error)}`, remedy);
  }
}
