import { describe, expect, it } from 'vitest';
import { expectedStages, STAGES } from '../src/progress.js';

describe('expectedStages', () => {
  it('announces every stage but the ones only some runs enter, for a following task', () => {
    expect(expectedStages('full+incremental')).toEqual([
      'checking',
      'schema',
      'full-copy',
      'post-data',
      'syncing',
      'verifying',
      'done',
    ]);
  });

  it('leaves syncing out of a full copy, and the copy too out of a schema-only task', () => {
    expect(expectedStages('full')).not.toContain('syncing');
    expect(expectedStages('full')).toContain('full-copy');
    expect(expectedStages('schema')).not.toContain('full-copy');
    expect(expectedStages('schema')).not.toContain('syncing');
  });

  it('keeps the order of STAGES', () => {
    for (const mode of ['full', 'full+incremental', 'schema'] as const) {
      const stages = expectedStages(mode);
      const positions = stages.map((s) => STAGES.indexOf(s));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });
});
