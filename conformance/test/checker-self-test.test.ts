import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKER_TESTS } from '../src/index.js';
import { type Outcome, runFixture } from './run-fixture.js';

const ON_17 = ' (on PostgreSQL 17)';

describe('checker suite self-test (good and deliberately broken reference checkers)', () => {
  let results: Map<string, { status: Outcome; messages: string[] }>;
  const status = (fixture: string, test: string) => results.get(`fixture ${fixture} > ${test}`)?.status;

  beforeAll(async () => {
    results = await runFixture('broken-checkers.fixture.ts');
  });

  it('passes the good reference checker on every test that applies', () => {
    for (const test of [CHECKER_TESTS.meta, CHECKER_TESTS.unreachable, CHECKER_TESTS.secrets])
      expect(status('none', test), test).toBe('passed');
    for (const test of [CHECKER_TESTS.pass, CHECKER_TESTS.fail, CHECKER_TESTS.problem, CHECKER_TESTS.leaks])
      expect(status('none', test + ON_17), test).toBe('passed');
    expect(status('none', CHECKER_TESTS.warn + ON_17)).toBe('skipped');
  });

  it('fails a checker that reports Pass on a misconfigured server on the Failed test', () => {
    expect(status('always-pass', CHECKER_TESTS.fail + ON_17)).toBe('failed');
    expect(status('always-pass', CHECKER_TESTS.unreachable)).toBe('failed');
    expect(status('always-pass', CHECKER_TESTS.pass + ON_17)).toBe('passed');
  });

  it('holds every checker a plugin registers: a broken first of two fails, two good ones pass', () => {
    expect(status('first-of-two-always-pass', CHECKER_TESTS.unreachable)).toBe('failed');
    expect(status('first-of-two-always-pass', CHECKER_TESTS.meta)).toBe('passed');
    for (const test of [CHECKER_TESTS.meta, CHECKER_TESTS.unreachable, CHECKER_TESTS.secrets])
      expect(status('two-good', test), test).toBe('passed');
    for (const test of [CHECKER_TESTS.pass, CHECKER_TESTS.fail, CHECKER_TESTS.leaks])
      expect(status('two-good', test + ON_17), test).toBe('passed');
  });

  it('fails a checker that throws instead of reporting on the unreachable-server test', () => {
    expect(status('throws', CHECKER_TESTS.unreachable)).toBe('failed');
    expect(status('throws', CHECKER_TESTS.fail + ON_17)).toBe('passed');
  });

  it('fails a checker that leaves a session open on the leak test only', () => {
    expect(status('leaks', CHECKER_TESTS.leaks + ON_17)).toBe('failed');
    expect(status('leaks', CHECKER_TESTS.pass + ON_17)).toBe('passed');
    expect(status('leaks', CHECKER_TESTS.fail + ON_17)).toBe('passed');
  });

  it('fails a checker whose Failed item has no remedy', () => {
    expect(status('no-remedy', CHECKER_TESTS.fail + ON_17)).toBe('failed');
    expect(status('no-remedy', CHECKER_TESTS.pass + ON_17)).toBe('passed');
  });

  it('in strict mode fails an undeclared group and a bypass without a reason, and skips reasoned bypasses', () => {
    expect(status('strict', CHECKER_TESTS.incremental + ON_17)).toBe('failed');
    expect(status('strict', CHECKER_TESTS.unreachable)).toBe('failed');
    expect(status('strict', CHECKER_TESTS.pass + ON_17)).toBe('skipped');
    expect(status('strict', CHECKER_TESTS.meta)).toBe('passed');
  });
});
