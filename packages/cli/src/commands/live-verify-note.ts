import type { LiveVerifyOutcome } from '@pgshift/kernel';
import type { CliContext } from '../context.js';
import { openStoreFor } from './task.js';

/**
 * With --store: what a live verify repaired joins the history of the stored task of the same
 * name, as a note (`pgshift task show` lists it), besides pgshift.verify_repairs on the target.
 */
export async function noteRepairsInHistory(
  ctx: CliContext,
  storeSpec: string,
  taskName: string,
  outcomes: readonly LiveVerifyOutcome[],
): Promise<void> {
  const parts = outcomes
    .filter((o) => o.repaired.length > 0)
    .map((o) => `database ${o.database}: ${o.repaired.map((r) => `${r.table} ${r.rows}`).join(', ')}`);
  const total = outcomes.reduce((n, o) => n + o.repaired.reduce((m, r) => m + r.rows, 0), 0);
  if (total === 0) return;
  const note = `live verify repaired ${total} row(s) (${parts.join('; ')}), recorded in pgshift.verify_repairs on the target`;
  const store = openStoreFor(ctx, storeSpec);
  try {
    await store.update(taskName, (record) => {
      record.history.push({
        status: record.status,
        ...(record.stage === undefined ? {} : { stage: record.stage }),
        at: new Date().toISOString(),
        note,
      });
    });
    ctx.print(`noted in the history of task ${taskName} in ${store.description}`);
  } catch (error) {
    if ((error as { code?: string }).code !== 'PGSHIFT_TASK_NOT_FOUND') throw error;
    ctx.warn(`no task ${taskName} in ${store.description}: the repairs are recorded on the target only`);
  } finally {
    await store.close();
  }
}
