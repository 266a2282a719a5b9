import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { authorSuite } from './author-suite.js';
import { RUNNER_ENV } from './env.js';

export type TestOutcome = 'passed' | 'failed' | 'skipped';

export interface ConformanceTestResult {
  /** Full name: the describe blocks and the test, joined by " > ". */
  name: string;
  outcome: TestOutcome;
  /** Why it was skipped, or the first error of a failure. */
  reason?: string;
}

export interface ConformanceReport {
  plugin: string;
  majors: number[];
  ok: boolean;
  summary: { passed: number; failed: number; skipped: number };
  tests: ConformanceTestResult[];
  /** An error that stopped the suite from being collected (the plugin did not load, say). */
  errors: string[];
}

export interface RunConformanceOptions {
  /** Package name, first-party plugin name, or path (resolved from baseDir). */
  plugin: string;
  baseDir: string;
  majors: number[];
  /**
   * The plugin's package directory when it is a third-party package: its own conformance tests
   * (test/**\/*.test.ts, which give the suite their arrangements) run instead of the generic file.
   */
  packageDir?: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Runs the plugin's suite in vitest (its node API) on sandbox servers and collects every test's outcome. */
export async function runConformance(options: RunConformanceOptions): Promise<ConformanceReport> {
  process.env[RUNNER_ENV.ref] = options.plugin;
  process.env[RUNNER_ENV.baseDir] = options.baseDir;
  process.env[RUNNER_ENV.majors] = options.majors.join(',');
  const author = options.packageDir ? authorSuite(options.packageDir) : undefined;
  const vitest = await startVitest(
    'test',
    [],
    {
      root: author?.root ?? here,
      config: false,
      // Else the suite file beside this module: TypeScript here, bundled JavaScript once packed.
      include: author?.include ?? ['plugin.conformance.{ts,js}'],
      watch: false,
      reporters: [{}],
      pool: 'forks',
      maxWorkers: 1,
      fileParallelism: false,
      testTimeout: 180_000,
      hookTimeout: 180_000,
      passWithNoTests: false,
      ...(author ? { server: { deps: { inline: author.inline } } } : {}),
    },
    { logLevel: 'silent', ...(author ? { resolve: { alias: author.alias } } : {}) },
  );
  try {
    const tests: ConformanceTestResult[] = [];
    const errors: string[] = [];
    for (const module of vitest.state.getTestModules()) {
      for (const error of module.errors()) errors.push(error.message);
      for (const test of module.children.allTests()) {
        const result = test.result();
        const outcome: TestOutcome =
          result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped';
        const reason =
          result.state === 'failed'
            ? result.errors?.[0]?.message
            : result.state === 'skipped'
              ? (result.note ?? undefined)
              : undefined;
        tests.push({ name: test.fullName, outcome, ...(reason ? { reason } : {}) });
      }
    }
    for (const error of vitest.state.getUnhandledErrors())
      errors.push(String((error as Error)?.message ?? error));
    const count = (o: TestOutcome) => tests.filter((t) => t.outcome === o).length;
    const summary = { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
    return {
      plugin: options.plugin,
      majors: options.majors,
      ok: errors.length === 0 && summary.failed === 0 && tests.length > 0,
      summary,
      tests,
      errors,
    };
  } finally {
    await vitest.close();
  }
}
