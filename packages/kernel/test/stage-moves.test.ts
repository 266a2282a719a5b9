import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressEventInput } from '@pgshift/plugin-api';
import { newTaskState, StateDir } from '@pgshift/tasks';
import { afterEach, describe, expect, it } from 'vitest';
import { StageMoves } from '../src/orchestrator/stage-moves.js';

describe('StageMoves', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function setUp() {
    const dir = mkdtempSync(join(tmpdir(), 'pgshift-stages-'));
    dirs.push(dir);
    const stateDir = new StateDir(dir);
    stateDir.ensure();
    const state = newTaskState('shop', 'full+incremental');
    stateDir.writeState(state);
    const events: ProgressEventInput[] = [];
    const moves = new StageMoves(stateDir, state, { emit: (e) => events.push(e) });
    const recorded = () => stateDir.readState();
    const announced = () =>
      events.flatMap((e) =>
        e.type === 'stage' ? [`${e.stage}:${e.state}${e.database ? `@${e.database}` : ''}`] : [],
      );
    return { moves, recorded, announced };
  }

  it('records and announces a following task from the checks to done, in order', () => {
    const { moves, recorded, announced } = setUp();
    moves.checksStarted();
    moves.checksEnded(true);
    moves.copyBegins();
    expect(recorded()).toMatchObject({ status: 'running', stage: 'schema' });
    for (const stage of ['schema', 'full-copy', 'post-data'] as const) {
      moves.databaseStageStarted(stage, 'shop');
      expect(recorded()?.stage).toBe(stage);
      moves.databaseStageDone(stage, 'shop');
    }
    moves.followingBegins();
    expect(recorded()).toMatchObject({ status: 'following', stage: 'catch-up' });
    moves.caughtUp();
    expect(recorded()).toMatchObject({ status: 'following', stage: 'syncing' });
    moves.finishRequested('0/16B3748');
    expect(recorded()).toMatchObject({ status: 'finishing', stage: 'finishing' });
    expect(recorded()?.transitions.at(-1)?.note).toBe('draining to 0/16B3748');
    moves.followingEnded();
    moves.verifyBegins();
    expect(recorded()).toMatchObject({ status: 'finishing', stage: 'verifying' });
    moves.verifyEnded(true);
    moves.completed();
    expect(recorded()).toMatchObject({ status: 'completed', stage: 'done' });
    expect(announced()).toEqual([
      'checking:started',
      'checking:done',
      'schema:started@shop',
      'schema:done@shop',
      'full-copy:started@shop',
      'full-copy:done@shop',
      'post-data:started@shop',
      'post-data:done@shop',
      'syncing:started',
      'syncing:done',
      'verifying:started',
      'verifying:done',
      'done:done',
    ]);
  });

  it('fails a task whose checks fail, and one whose verify finds differences, with the remedy noted', () => {
    const checks = setUp();
    checks.moves.checksEnded(false);
    expect(checks.recorded()).toMatchObject({ status: 'failed', stage: 'checking' });
    expect(checks.announced()).toEqual(['checking:failed']);

    const verify = setUp();
    verify.moves.verifyBegins();
    verify.moves.verifyEnded(false);
    verify.moves.verifyFailed('stop the writes and run again');
    expect(verify.recorded()).toMatchObject({ status: 'failed', stage: 'verifying' });
    expect(verify.recorded()?.transitions.at(-1)?.note).toBe(
      'verify found differences; stop the writes and run again',
    );
    expect(verify.announced()).toEqual(['verifying:started', 'verifying:failed']);
  });

  it('moves to syncing only from catch-up, and keeps the stage when stopped or cancelled', () => {
    const { moves, recorded } = setUp();
    moves.followingBegins();
    moves.finishRequested('0/1');
    moves.caughtUp();
    expect(recorded()?.stage).toBe('finishing');
    moves.followingStopped();
    expect(recorded()).toMatchObject({ status: 'following', stage: 'finishing' });
    moves.cancelled();
    expect(recorded()).toMatchObject({ status: 'cancelled', stage: 'finishing' });
    expect(recorded()?.transitions.at(-1)?.note).toBe('cancelled by the user');
  });
});
