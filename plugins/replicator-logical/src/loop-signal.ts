import { CODES, ReplicationError, STREAM_REMEDY } from './errors.js';

/**
 * How the stream's callbacks (and an abort) reach the follow loop: a kick wakes it when it sleeps,
 * a failure is thrown at its next turn. A kick while the loop is busy is not lost: the next sleep
 * returns at once.
 */
export class LoopSignal {
  #failure: Error | undefined;
  #wake: (() => void) | undefined;
  #kicked = false;

  /** Starts a turn of the loop: forgets earlier kicks, throws the first failure if there was one. */
  turn(): void {
    this.#kicked = false;
    if (this.#failure) throw this.#failure;
  }

  fail(error: unknown): void {
    if (this.#failure) return;
    this.#failure =
      error instanceof Error
        ? error
        : new ReplicationError(CODES.stream, `replication stream failed: ${String(error)}`, {
            remedy: STREAM_REMEDY,
          });
    this.kick();
  }

  kick(): void {
    this.#kicked = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Waits for a kick (data, a keepalive, an abort, a failure) or `ms`, whichever comes first. */
  sleep(ms: number): Promise<void> {
    if (this.#kicked) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
