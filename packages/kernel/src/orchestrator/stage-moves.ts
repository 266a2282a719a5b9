import type { ProgressSink, Stage } from '@pgshift/plugin-api';
import type { StateDir, TaskState } from '@pgshift/tasks';

/** The stages a run goes through once per database, in this order. */
export type DatabaseStage = 'schema' | 'full-copy' | 'post-data';

/**
 * Every move of a run from one stage to the next, in one place. The phases say what happened (the
 * checks ended, following caught up, a finish was asked for); this class decides what that makes
 * the task's status and stage, records it in the state file (with a note for the history where
 * one helps), and announces it to the progress sinks, so the two never disagree.
 */
export class StageMoves {
  readonly #stateDir: StateDir;
  readonly #state: TaskState;
  readonly #progress: ProgressSink;

  constructor(stateDir: StateDir, state: TaskState, progress: ProgressSink) {
    this.#stateDir = stateDir;
    this.#state = state;
    this.#progress = progress;
  }

  checksStarted(): void {
    this.#announce('checking', 'started');
  }

  /** A failed check ends the run here: nothing was made yet, so nothing is resumable. */
  checksEnded(ok: boolean): void {
    this.#announce('checking', ok ? 'done' : 'failed');
    if (!ok) this.#stateDir.transition(this.#state, 'failed', 'checking', 'a precheck failed');
  }

  /** A fresh run starts making things on the target. */
  copyBegins(): void {
    this.#stateDir.transition(this.#state, 'running', 'schema');
  }

  databaseStageStarted(stage: DatabaseStage, database: string): void {
    this.#announce(stage, 'started', database);
    this.#stateDir.enterStage(this.#state, stage);
  }

  databaseStageDone(stage: DatabaseStage, database: string): void {
    this.#announce(stage, 'done', database);
  }

  /** Every database is copied; following starts by catching up with what was written meanwhile. */
  followingBegins(): void {
    this.#stateDir.transition(this.#state, 'following', 'catch-up');
    this.#announce('syncing', 'started');
  }

  /** The backlog from the copy is applied: from here the target trails the source by seconds. */
  caughtUp(): void {
    if (this.#state.stage === 'catch-up') this.#stateDir.enterStage(this.#state, 'syncing');
  }

  finishRequested(drainLsn: string): void {
    this.#stateDir.transition(this.#state, 'finishing', 'finishing', `draining to ${drainLsn}`);
  }

  /** Stopped by the user while following: the task stays where it was, ready to resume. */
  followingStopped(): void {
    this.#stateDir.transition(
      this.#state,
      'following',
      this.#state.stage,
      'stopped by the user; run again to resume',
    );
  }

  /** Everything up to the finish point is applied. */
  followingEnded(): void {
    this.#announce('syncing', 'done');
  }

  verifyBegins(): void {
    this.#stateDir.transition(this.#state, this.#state.status, 'verifying');
    this.#announce('verifying', 'started');
  }

  verifyEnded(ok: boolean): void {
    this.#announce('verifying', ok ? 'done' : 'failed');
  }

  /** Differences found: the task fails at verifying, with what to do in its history. */
  verifyFailed(remedy: string): void {
    this.#stateDir.transition(this.#state, 'failed', 'verifying', `verify found differences; ${remedy}`);
  }

  completed(): void {
    this.#stateDir.transition(this.#state, 'completed', 'done');
    this.#announce('done', 'done');
  }

  cancelled(): void {
    this.#stateDir.transition(this.#state, 'cancelled', this.#state.stage, 'cancelled by the user');
  }

  #announce(stage: Stage, state: 'started' | 'done' | 'failed', database?: string): void {
    this.#progress.emit({ type: 'stage', stage, state, ...(database === undefined ? {} : { database }) });
  }
}
