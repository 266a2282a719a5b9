import { join } from 'node:path';
import { nullProgress, silentLogger } from '@pgshift/plugin-api';
import { newTaskState, StateDir } from '@pgshift/tasks';
import { afterAll, describe, expect, it } from 'vitest';
import { TaskThrottles } from '../src/throttle/task-throttles.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('TaskThrottles', () => {
  it("starts at the config's limits, takes changes from the state directory over them, and records what is in force", () => {
    const stateDir = new StateDir(join(tmp.dir, 'state'));
    stateDir.ensure();
    const state = newTaskState('t', 'full+incremental');
    const throttles = new TaskThrottles(
      { copy: { megabytesPerSecond: 20 }, apply: { rowsPerSecond: 0 } },
      { stateDir, state, logger: silentLogger, progress: nullProgress },
    );
    try {
      expect(throttles.copy.limit).toEqual({ megabytesPerSecond: 20 });
      expect(throttles.apply.limited).toBe(false);
      expect(stateDir.readState()?.limits).toEqual({ copy: { megabytesPerSecond: 20 } });

      stateDir.changeLimits({ apply: { rowsPerSecond: 300 } });
      stateDir.changeLimits({ copy: { megabytesPerSecond: 0, rowsPerSecond: 1000 } });
      throttles.refresh();
      expect(throttles.copy.limit).toEqual({ rowsPerSecond: 1000 });
      expect(throttles.apply.limit).toEqual({ rowsPerSecond: 300 });
      expect(throttles.apply.limited).toBe(true);
      expect(stateDir.readState()?.limits).toEqual({
        copy: { rowsPerSecond: 1000 },
        apply: { rowsPerSecond: 300 },
      });
    } finally {
      throttles.close();
    }
    expect(throttles.copy.limited).toBe(false);
  });
});
