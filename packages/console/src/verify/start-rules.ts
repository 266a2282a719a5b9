import { checksStoppedStart } from '@pgshift/kernel';
import { ACTIVE_STATUSES, type TaskLifecycle, type TaskRecord, WAITING_STATUSES } from '@pgshift/tasks';
import type { ErrorView } from '../error-view.js';

/** The kernel's words when the checks stop a start, as `pgshift task start` prints them. */
export function checksFailedRefusal(name: string): ErrorView {
  return {
    code: 'PGSHIFT_TASK_STATE',
    message: checksStoppedStart(name),
    remedy: 'fix what the remedies say, then click "Re-run checks"',
  };
}

// startTask refuses these itself, with the CLI's message: the route lets it say so.
const KERNEL_REFUSES: readonly TaskLifecycle[] = [...WAITING_STATUSES, ...ACTIVE_STATUSES, 'completed'];

/** Whether Re-run is offered: checkTask refuses waiting and running tasks; one run at a time. */
export function canCheck(record: TaskRecord): boolean {
  return ![...WAITING_STATUSES, ...ACTIVE_STATUSES, 'checking'].includes(record.status);
}

/**
 * Why Start is not offered, or undefined when it is: the checks ran, none Failed, none is
 * running now, and the task is in a state the kernel starts from. `kernel` means startTask
 * itself refuses (and words it).
 */
export function startRefusal(record: TaskRecord): ErrorView | 'kernel' | undefined {
  if (KERNEL_REFUSES.includes(record.status)) return 'kernel';
  if (record.status === 'checking')
    return {
      code: 'PGSHIFT_TASK_STATE',
      message: `task ${record.name} is being checked`,
      remedy: 'wait for the checks to finish; this page shows them when they do',
    };
  const items = record.checks?.items ?? [];
  if (items.length === 0)
    return {
      code: 'PGSHIFT_TASK_STATE',
      message: `task ${record.name} has no check results`,
      remedy: 'click "Re-run checks" and start it when nothing is Failed',
    };
  if (items.some((i) => i.status === 'failed')) return checksFailedRefusal(record.name);
  return undefined;
}
