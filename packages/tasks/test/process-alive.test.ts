import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processAlive } from '../src/process-alive.js';

describe('processAlive', () => {
  it('sees this process, and not one that has ended', () => {
    expect(processAlive(process.pid)).toBe(true);
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    expect(ended).toBeGreaterThan(0);
    expect(processAlive(ended as number)).toBe(false);
  });
});
