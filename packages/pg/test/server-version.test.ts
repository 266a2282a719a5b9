import { describe, expect, it } from 'vitest';
import { FEATURE_SINCE, hasFeature, majorVersion } from '../src/index.js';

describe('server versions', () => {
  it('names majors as PostgreSQL does: two parts before 10, one from 10 on', () => {
    expect(majorVersion(90304)).toBe(9.3);
    expect(majorVersion(90502)).toBe(9.5);
    expect(majorVersion(90624)).toBe(9.6);
    expect(majorVersion(100023)).toBe(10);
    expect(majorVersion(170004)).toBe(17);
  });

  it('orders 9.x majors below 10 and apart from each other', () => {
    expect(majorVersion(90502)).toBeLessThan(majorVersion(100000));
    expect(majorVersion(90502)).toBeLessThan(majorVersion(90600));
    expect(majorVersion(90399)).toBeLessThan(majorVersion(90400));
  });

  it('answers feature questions from one table', () => {
    expect(hasFeature(90304, 'multiArgUnnest')).toBe(false);
    expect(hasFeature(90400, 'multiArgUnnest')).toBe(true);
    expect(hasFeature(90624, 'sequenceCatalog')).toBe(false);
    expect(hasFeature(100000, 'sequenceCatalog')).toBe(true);
    // Every entry is a real server_version_num of a release major.
    for (const since of Object.values(FEATURE_SINCE)) expect(since % 100).toBe(0);
  });
});
