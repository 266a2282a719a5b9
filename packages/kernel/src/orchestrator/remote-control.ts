import { PgshiftError, type TaskLimits } from '@pgshift/plugin-api';
import { type LiveStatus, runningOwner, StateDir, type TaskState } from '@pgshift/tasks';

export interface TaskStatusReport {
  state: TaskState | undefined;
  live: LiveStatus | undefined;
  /** Pid of the process running the task, when one is. */
  runningPid: number | undefined;
}

export function readTaskStatus(stateDirPath: string): TaskStatusReport {
  const dir = new StateDir(stateDirPath);
  return { state: dir.readState(), live: dir.readLive(), runningPid: runningOwner(stateDirPath) };
}

/**
 * Asks the process running the task to finish or cancel, and waits until it has (or until the
 * timeout). Without a running process the request stays recorded for the next `run`.
 */
export async function requestAndWait(
  stateDirPath: string,
  request: 'finish' | 'cancel',
  options: {
    timeoutMs: number;
    pollMs?: number;
    onWait?: (status: TaskStatusReport) => void;
    /** finish: leave pgshift's bookkeeping on the target. */
    keepState?: boolean;
  },
): Promise<{ outcome: 'done' | 'not-running' | 'timeout'; state: TaskState | undefined }> {
  const dir = new StateDir(stateDirPath);
  const state = dir.readState();
  if (!state) {
    throw new PgshiftError('PGSHIFT_TASK_UNKNOWN', `no run of this task is recorded in ${stateDirPath}`, {
      remedy: 'start it with "pgshift run -c <config>"',
    });
  }
  if (state.status === 'completed' || state.status === 'cancelled') return { outcome: 'done', state };
  dir.requestControl(request, { keepState: options.keepState === true });
  if (runningOwner(stateDirPath) === undefined) return { outcome: 'not-running', state };
  const deadline = Date.now() + options.timeoutMs;
  const wanted = request === 'finish' ? ['completed', 'failed'] : ['cancelled', 'failed'];
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
    const current = dir.readState();
    // The run ends (its lock goes) once it has finished, cancelled or failed.
    if ((current && wanted.includes(current.status)) || runningOwner(stateDirPath) === undefined) {
      return { outcome: 'done', state: current };
    }
    options.onWait?.(readTaskStatus(stateDirPath));
    if (Date.now() > deadline) return { outcome: 'timeout', state: current };
  }
}

/**
 * Records a change of the task's rate limits (`pgshift set`) for the process running it, which
 * applies it within a couple of seconds (or for the next run). Returns the limits in force as the
 * task's state last recorded them, and whether a process runs the task.
 */
export function requestLimits(
  stateDirPath: string,
  change: TaskLimits,
): { inForce: TaskLimits | undefined; running: boolean } {
  const dir = new StateDir(stateDirPath);
  const state = dir.readState();
  if (state && (state.status === 'completed' || state.status === 'cancelled'))
    throw new PgshiftError(
      'PGSHIFT_TASK_STATE',
      `task ${state.task} has ${state.status === 'completed' ? 'completed' : 'been cancelled'}`,
      {
        remedy: 'limits apply to a task that still runs or will run',
      },
    );
  dir.changeLimits(change);
  return { inForce: state?.limits, running: runningOwner(stateDirPath) !== undefined };
}
