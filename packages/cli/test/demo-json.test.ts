import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ARGS, type Spawned, spawnCli } from './demo-support.js';

describe('pgshift demo --json', () => {
  let run: Spawned | undefined;
  afterAll(() => {
    run?.child.kill('SIGKILL');
  });

  it('prints one JSON event per line, with stage, copy-progress, table-progress and lag events', async () => {
    run = spawnCli([...DEMO_ARGS, '--json']);
    const code = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const lines = run
      .stdout()
      .split('\n')
      .filter((l) => l.length > 0);
    const events = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
    const ofType = (type: string) => events.filter((e) => e.type === type);

    const stages = ofType('stage').map((e) => `${e.stage}:${e.state}`);
    for (const s of [
      'checking:started',
      'full-copy:started',
      'full-copy:done',
      'syncing:started',
      'done:done',
    ])
      expect(stages).toContain(s);
    for (const e of events) if (e.type !== 'outcome') expect(typeof e.at).toBe('string');

    const copies = ofType('copy-progress');
    expect(copies.length).toBeGreaterThan(0);
    const lastCopy = copies[copies.length - 1] as Record<string, unknown>;
    expect(lastCopy).toMatchObject({ database: 'shop', tablesDone: 5, tablesTotal: 5 });
    expect(typeof lastCopy.bytes).toBe('number');

    const tables = ofType('table-progress').filter((e) => e.done === true);
    expect(tables.map((e) => e.table)).toContain('"public"."customers"');

    const lags = ofType('lag');
    expect(lags.length).toBeGreaterThan(0);
    for (const lag of lags) {
      expect(lag.database).toBe('shop');
      expect(lag.lagBytes).toMatch(/^\d+$/);
      expect(lag.appliedLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      expect(typeof lag.lagSeconds).toBe('number');
      expect(typeof lag.applyRate).toBe('number');
    }
    expect(events[events.length - 1]).toEqual({ type: 'outcome', status: 'completed' });
  }, 240_000);
});
