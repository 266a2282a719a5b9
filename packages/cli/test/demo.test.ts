import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ARGS, type Spawned, sleep, spawnCli } from './demo-support.js';

/** Metric names docs/events.md promises, each of which must carry a sample during the demo. */
const DOCUMENTED = [
  'pgshift_table_rows_copied',
  'pgshift_table_bytes_copied',
  'pgshift_table_copy_done',
  'pgshift_copy_rows',
  'pgshift_copy_bytes',
  'pgshift_copy_tables_done',
  'pgshift_copy_tables_total',
  'pgshift_lag_bytes',
  'pgshift_lag_seconds',
  'pgshift_apply_rate_transactions_per_second',
  'pgshift_transactions_applied_total',
  'pgshift_stage',
  'pgshift_errors_total',
];

/** Sample value of `name{...labels containing `match`}`, from the Prometheus text format. */
function sample(text: string, name: string, match = ''): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m?.[1] === name && (m[2] ?? '').includes(match)) return Number(m[3]);
  }
  return undefined;
}

describe('pgshift demo, non-interactive, with --metrics-port', () => {
  let run: Spawned | undefined;
  afterAll(() => {
    run?.child.kill('SIGKILL');
  });

  it('reaches a verified finish, prints the summary, and serves the documented metrics while running', async () => {
    run = spawnCli([...DEMO_ARGS, '--metrics-port', '0']);
    const scrapes: string[] = [];
    let exited = false;
    void run.exit.then(() => {
      exited = true;
    });
    let url: string | undefined;
    while (!exited) {
      url ??= /metrics: (http:\/\/\S+)/.exec(run.stderr())?.[1];
      if (url) {
        try {
          const res = await fetch(url);
          if (res.ok) scrapes.push(await res.text());
        } catch {
          // the server closes when the demo ends
        }
      }
      await sleep(150);
    }
    const code = await run.exit;
    const out = run.stdout();
    expect(code, `${out}\n${run.stderr()}`).toBe(0);

    // The summary: verified finish and rows per table on both sides.
    expect(out).toContain('demo completed: source and target verified identical');
    expect(out).toMatch(/rows per table after the migration:\n\s+customers\s+source\s+2000\s+target\s+2000/);
    expect(out).toContain('"consistent": true');
    // Plain lines (stdout is a pipe): no escape sequences of the live display.
    expect(out).not.toContain('\x1b[');
    expect(out).toMatch(/full-copy \[shop\]: started/);

    // Metrics: scraped during the run, with values.
    expect(url).toBeDefined();
    expect(scrapes.length).toBeGreaterThan(0);
    const all = scrapes.join('\n');
    for (const name of DOCUMENTED) expect(all, name).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? \\S+$`, 'm'));
    const during = scrapes.find((s) => (sample(s, 'pgshift_lag_bytes') ?? -1) >= 0) ?? '';
    expect(sample(during, 'pgshift_table_rows_copied', 'table="\\"public\\".\\"customers\\""')).toBe(2000);
    expect(sample(during, 'pgshift_table_copy_done', 'customers')).toBe(1);
    expect(sample(during, 'pgshift_copy_tables_total', 'database="shop"')).toBe(5);
    expect(sample(during, 'pgshift_lag_bytes', 'database="shop"')).toBeGreaterThanOrEqual(0);
    // Some scrape saw the copy or the sync running as the current stage.
    expect(
      scrapes.some(
        (s) =>
          sample(s, 'pgshift_stage', 'stage="full-copy"') === 1 ||
          sample(s, 'pgshift_stage', 'stage="syncing"') === 1,
      ),
    ).toBe(true);
    expect(sample(all.split('\n').reverse().join('\n'), 'pgshift_errors_total', 'stage="none"')).toBe(0);

    // The server is closed at the end.
    await expect(fetch(url as string)).rejects.toThrow();
  }, 240_000);
});
