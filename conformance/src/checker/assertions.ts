import type { CheckResult, CheckStatus } from '@pgshift/plugin-api';

const STATUSES: readonly CheckStatus[] = ['pass', 'warning', 'failed'];
const RANK: Record<CheckStatus, number> = { pass: 0, warning: 1, failed: 2 };

/** The results as a list, checked for shape; throws with the first fault found. */
export function checkedResults(checkerId: string, output: unknown): CheckResult[] {
  const list = Array.isArray(output) ? output : [output];
  if (list.length === 0) throw new Error(`checker ${checkerId} returned no result`);
  for (const item of list as CheckResult[]) {
    const where = `result ${JSON.stringify(item?.id)} of checker ${checkerId}`;
    if (!item || typeof item !== 'object')
      throw new Error(`checker ${checkerId} returned a non-object result`);
    if (typeof item.id !== 'string' || item.id.length === 0) throw new Error(`${where} has no id`);
    if (typeof item.title !== 'string' || item.title.length === 0) throw new Error(`${where} has no title`);
    if (!STATUSES.includes(item.status)) throw new Error(`${where} has status ${String(item.status)}`);
    if (typeof item.message !== 'string' || item.message.trim().length === 0)
      throw new Error(`${where} has no message`);
    if (item.status !== 'pass' && (typeof item.remedy !== 'string' || item.remedy.trim().length === 0))
      throw new Error(`${where} is ${item.status} but gives no remedy`);
  }
  return list as CheckResult[];
}

/** The most severe status among the results. */
export function worstStatus(results: readonly CheckResult[]): CheckStatus {
  return results.reduce<CheckStatus>((worst, r) => (RANK[r.status] > RANK[worst] ? r.status : worst), 'pass');
}

/** One line per result, for assertion messages. */
export function summarize(results: readonly CheckResult[]): string {
  return results.map((r) => `${r.id}: ${r.status}: ${r.message}`).join('\n');
}
