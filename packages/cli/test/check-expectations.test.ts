import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeConfig } from './e2e/support.js';
import { seedShop } from './e2e/workload.js';
import { REPO, runCli } from './run-cli.js';

/**
 * `pgshift check --json` on 10+ sources, held against what it answered before 9.x sources were
 * supported (recorded from commit 54c2c8d with PGSHIFT_RECORD_CHECKS=1): the work for old majors
 * must not change a single item on the new ones. Numbers, ports and paths are masked; ids,
 * statuses and wording are kept.
 */
const FIXTURE = join(REPO, 'packages/cli/test/fixtures/check-expectations.json');

type Item = { id: string; status: string; message: string; remedy?: string };

function normalise(items: Item[]): string[] {
  const mask = (text: string) =>
    text
      .replace(/\/tmp\/[^\s'"]+/g, '<path>')
      .replace(/\d+(\.\d+)?/g, 'N')
      .replace(/PostgreSQL N[.\w]*/g, 'PostgreSQL N');
  return items
    .map((i) => `${i.id} ${i.status}: ${mask(i.message)}${i.remedy ? ` | remedy: ${mask(i.remedy)}` : ''}`)
    .sort();
}

describe('check --json on 10+ sources answers as before', () => {
  const servers = new Map<number, SandboxServer>();
  const dir = tempDir();
  beforeAll(async () => {
    const [s10, s17, target] = await Promise.all([10, 17, 17].map((major) => startPostgres({ major })));
    servers.set(10, s10!).set(17, s17!).set(0, target!);
    await Promise.all([seedShop(s10!), seedShop(s17!)]);
  });
  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    dir.cleanup();
  });

  it('gives the recorded items for 10 and 17 sources in both modes', async () => {
    const answers: Record<string, string[]> = {};
    for (const major of [10, 17])
      for (const mode of ['full', 'full+incremental'] as const) {
        const config = writeConfig(
          dir,
          `expect-${major}-${mode.length}`,
          servers.get(major)!,
          servers.get(0)!,
          {
            mode,
          },
        );
        const check = await runCli(['check', '-c', config, '--json']);
        answers[`${major} ${mode}`] = normalise((JSON.parse(check.stdout) as { items: Item[] }).items);
      }
    if (process.env.PGSHIFT_RECORD_CHECKS) writeFileSync(FIXTURE, `${JSON.stringify(answers, null, 2)}\n`);
    expect(existsSync(FIXTURE), 'the recorded expectation is missing').toBe(true);
    expect(answers).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });
});
