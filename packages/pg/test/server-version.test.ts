import { describe, expect, it } from 'vitest';
import { FEATURE_SINCE, firstVersionNum, hasFeature, majorHasFeature, majorVersion } from '../src/index.js';

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

  it('finds the first version number of a major, the inverse of majorVersion', () => {
    expect(firstVersionNum(9.3)).toBe(90300);
    expect(firstVersionNum(9.6)).toBe(90600);
    expect(firstVersionNum(10)).toBe(100000);
    expect(firstVersionNum(17)).toBe(170000);
    for (const num of [90300, 90400, 90500, 90600, 100000, 150000])
      expect(firstVersionNum(majorVersion(num))).toBe(num);
  });

  it('answers feature questions for a major as for its first release', () => {
    expect(majorHasFeature(9.3, 'logicalDecoding')).toBe(false);
    expect(majorHasFeature(9.4, 'logicalDecoding')).toBe(true);
    expect(majorHasFeature(9.6, 'scramAuthentication')).toBe(false);
    expect(majorHasFeature(10, 'scramAuthentication')).toBe(true);
  });
});
