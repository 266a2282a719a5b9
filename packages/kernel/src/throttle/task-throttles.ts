import type { Logger, ProgressSink, TaskLimits } from '@pgshift/plugin-api';
import { describeLimits, mergeLimits, type StateDir, sameLimits, type TaskState } from '@pgshift/tasks';
import { type Clock, systemClock, TokenBucket } from './token-bucket.js';

/** How often a running task looks for limits changed by `pgshift set` / `pgshift task set`. */
export const LIMITS_POLL_MS = 1000;

/**
 * The two buckets of one run of a task, `copy` for every copy job and `apply` for every
 * database's apply, at the config's `options.limits` with the changes recorded in the state
 * directory (`pgshift set`, or `task set` through the worker) laid over them. The limits in force
 * are kept in the task's state, where `status` and `task show` read them.
 */
export class TaskThrottles {
  readonly copy: TokenBucket;
  readonly apply: TokenBucket;
  readonly #configured: TaskLimits | undefined;
  readonly #stateDir: StateDir;
  readonly #state: TaskState;
  readonly #say: (text: string) => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    configured: TaskLimits | undefined,
    where: { stateDir: StateDir; state: TaskState; logger: Logger; progress: ProgressSink },
    clock: Clock = systemClock,
  ) {
    this.#configured = configured;
    this.#stateDir = where.stateDir;
    this.#state = where.state;
    this.#say = (text) => {
      where.logger.info(text);
      where.progress.emit({ type: 'message', level: 'info', text });
    };
    this.copy = new TokenBucket(undefined, clock);
    this.apply = new TokenBucket(undefined, clock);
    this.refresh(true);
  }

  /** The limits in force. */
  get limits(): TaskLimits {
    return {
      ...(this.copy.limited ? { copy: this.copy.limit } : {}),
      ...(this.apply.limited ? { apply: this.apply.limit } : {}),
    };
  }

  /** Reads the changes recorded for the task and applies them when they change the limits. */
  refresh(starting = false): void {
    let changes: TaskLimits | undefined;
    try {
      changes = this.#stateDir.readLimits();
    } catch {
      return; // a file being replaced, or unreadable for now: the next look sees it
    }
    const wanted = mergeLimits(this.#configured, changes);
    if (!starting && sameLimits(wanted, this.limits)) return;
    this.copy.setLimit(wanted.copy);
    this.apply.setLimit(wanted.apply);
    if (!sameLimits(this.#state.limits, wanted) || this.#state.limits === undefined) {
      this.#state.limits = wanted;
      this.#stateDir.writeState(this.#state);
    }
    if (!starting || Object.keys(wanted).length > 0) this.#say(`limits in force: ${describeLimits(wanted)}`);
  }

  /**
   * Looks for changes every `intervalMs` until closed, or until `signal` stops the run (whoever
   * waits on a bucket then goes on at once, to see the stop).
   */
  watch(signal?: AbortSignal, intervalMs = LIMITS_POLL_MS): this {
    this.#timer = setInterval(() => this.refresh(), intervalMs);
    this.#timer.unref();
    signal?.addEventListener('abort', () => this.close(), { once: true });
    return this;
  }

  /** The run is over: no more looking, and whoever waits on a bucket goes on. */
  close(): void {
    clearInterval(this.#timer);
    this.copy.close();
    this.apply.close();
  }
}
