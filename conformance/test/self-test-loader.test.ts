import { beforeAll, describe, expect, it } from 'vitest';
import { LOADER_TESTS } from '../src/index.js';
import { type Outcome, runFixture } from './run-fixture.js';

const ON_17 = ' (on PostgreSQL 17)';

// The good reference (the first-party loader) passes in loader-suite.test.ts.
describe('loader suite self-test (deliberately broken reference loader)', () => {
  let results: Map<string, { status: Outcome; messages: string[] }>;
  const status = (test: string) => results.get(`fixture drops-nulls > ${test}${ON_17}`)?.status;

  beforeAll(async () => {
    results = await runFixture('broken-loaders.fixture.ts');
  });

  it('fails a loader that turns NULLs into empty strings on the NULL test', () => {
    expect(status(LOADER_TESTS.nulls)).toBe('failed');
    expect(results.get(`fixture drops-nulls > ${LOADER_TESTS.nulls}${ON_17}`)?.messages.join('\n')).toMatch(
      /kinds\.t|kinds\.vc|docs\.body/,
    );
  });

  it('also fails it on the exact fidelity copy, and passes it where NULLs play no part', () => {
    expect(status(LOADER_TESTS.data)).toBe('failed');
    expect(status(LOADER_TESTS.schema)).toBe('passed');
    expect(results.get(`fixture drops-nulls > ${LOADER_TESTS.meta}`)?.status).toBe('passed');
  });

  it('in strict mode fails an undeclared group and a bypass without a reason, and skips reasoned bypasses', () => {
    const strict = (test: string) => results.get(`fixture strict > ${test}${ON_17}`)?.status;
    expect(strict(LOADER_TESTS.schema)).toBe('failed');
    expect(strict(LOADER_TESTS.snapshot)).toBe('failed');
    expect(strict(LOADER_TESTS.data)).toBe('skipped');
    expect(strict(LOADER_TESTS.nulls)).toBe('skipped');
  });
});
