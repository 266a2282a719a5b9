import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const vitestBin = join(here, '..', 'node_modules', 'vitest', 'vitest.mjs');

export type Outcome = 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled';

/** Runs one fixture file in a child vitest and returns each test's outcome by "<describe> > <test>". */
export async function runFixture(
  file: string,
): Promise<Map<string, { status: Outcome; messages: string[] }>> {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-conformance-self-test-'));
  const output = join(dir, 'report.json');
  try {
    await execFileAsync(
      process.execPath,
      [
        vitestBin,
        'run',
        '--config',
        join(here, 'fixtures', 'vitest.config.ts'),
        '--reporter=json',
        `--outputFile=${output}`,
        file,
      ],
      { cwd: join(here, 'fixtures'), maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: unknown) => {
      // A failing fixture exits 1 by design; only a missing report is a problem.
      void error;
    });
    const report = JSON.parse(readFileSync(output, 'utf8')) as {
      testResults: Array<{
        assertionResults: Array<{
          ancestorTitles: string[];
          title: string;
          status: Outcome;
          failureMessages: string[];
        }>;
      }>;
    };
    const results = new Map<string, { status: Outcome; messages: string[] }>();
    for (const file of report.testResults)
      for (const test of file.assertionResults)
        results.set(`${test.ancestorTitles[0]} > ${test.title}${majorSuffix(test.ancestorTitles)}`, {
          status: test.status,
          messages: test.failureMessages,
        });
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function majorSuffix(titles: string[]): string {
  const major = titles.find((t) => t.startsWith('on PostgreSQL '));
  return major ? ` (${major})` : '';
}
