import { PassThrough } from 'node:stream';
import type { ProgressEventInput } from '@pgshift/plugin-api';
import { describe, expect, it } from 'vitest';
import { visibleLength } from '../src/display/ansi.js';
import { DisplayState, LiveDisplay, renderFrame } from '../src/display/index.js';

const ESC = '\x1b';

const copy = (bytes: number, tablesDone: number): ProgressEventInput => ({
  type: 'copy-progress',
  database: 'shop',
  rows: bytes / 10,
  bytes,
  totalBytes: 10_000,
  tablesDone,
  tablesTotal: 2,
});

describe('display state and frame', () => {
  it('tracks stages per database, skips stages never reported, and computes rate and ETA', () => {
    const state = new DisplayState();
    state.apply({ type: 'stage', stage: 'checking', state: 'started' }, 0);
    state.apply({ type: 'stage', stage: 'checking', state: 'done' }, 1000);
    state.apply({ type: 'stage', stage: 'schema', state: 'started', database: 'a' }, 1000);
    state.apply({ type: 'stage', stage: 'schema', state: 'started', database: 'b' }, 1000);
    state.apply({ type: 'stage', stage: 'schema', state: 'done', database: 'a' }, 2000);
    const schema = () => state.stages.find((s) => s.stage === 'schema');
    expect(schema()?.state).toBe('running');
    state.apply({ type: 'stage', stage: 'schema', state: 'done', database: 'b' }, 2000);
    expect(schema()?.state).toBe('done');
    expect(schema()?.databases).toEqual(['a', 'b']);
    // Verifying starts without a copy: the copy stages were not part of this run.
    state.apply({ type: 'stage', stage: 'verifying', state: 'started' }, 3000);
    expect(state.stages.find((s) => s.stage === 'full-copy')?.state).toBe('skipped');
    state.failRunning(4000);
    expect(state.stages.find((s) => s.stage === 'verifying')?.state).toBe('failed');

    const c = new DisplayState();
    c.apply({ type: 'stage', stage: 'full-copy', state: 'started', database: 'shop' }, 0);
    c.apply(copy(1000, 0), 0);
    c.apply(
      { type: 'table-progress', database: 'shop', table: '"public"."t"', rows: 50, bytes: 500, done: false },
      500,
    );
    c.apply(
      { type: 'table-progress', database: 'shop', table: '"public"."later"', rows: 0, bytes: 0, done: false },
      500,
    );
    c.apply(copy(3000, 0), 2000);
    expect(c.copyRate().bytes).toBe(1000);
    const lines = renderFrame(c, { width: 200, now: 2000, color: false });
    const text = lines.join('\n');
    expect(text).toMatch(/> full-copy\s+running 2s \[shop\]/);
    expect(text).toMatch(/· verifying\s+pending/);
    expect(text).toContain('copy  [#######.................]  30%  300 rows  3.0 kB of ~10.0 kB  tables 0/2');
    expect(text).toContain('1.0 kB/s');
    expect(text).toContain('ETA 7s');
    expect(text).toContain('shop."public"."t"  50 rows  500 B');
    // A planned table that has not started is counted, not drawn as a bar.
    expect(text).not.toContain('"later"');
    expect(text).toContain('1 queued');

    // Finished copy: 100% whatever the estimate said, no in-flight lines.
    c.apply(copy(6000, 2), 3000);
    expect(renderFrame(c, { width: 200, now: 3000, color: false }).join('\n')).toMatch(/\[#{24}\] 100%/);
    // Narrow terminals: lines are cut, never wrapped.
    for (const line of renderFrame(c, { width: 30, now: 3000, color: true }))
      expect(visibleLength(line)).toBeLessThanOrEqual(30);
  });

  it('shows lag and apply rate while syncing', () => {
    const state = new DisplayState();
    state.apply(
      {
        type: 'lag',
        database: 'shop',
        appliedLsn: '0/10',
        sourceLsn: '0/2710',
        lagBytes: '9984',
        lagSeconds: 1.25,
        applyRate: 42,
      },
      0,
    );
    expect(renderFrame(state, { width: 200, now: 0, color: false }).join('\n')).toContain(
      'sync  [shop]  lag 10.0 kB / 1.3s  apply 42 tx/s  applied 0/10  source 0/2710',
    );
  });

  it('redraws in place, keeps other output above the frame, and restores the cursor', () => {
    const out = new PassThrough() as unknown as NodeJS.WriteStream;
    const err = new PassThrough() as unknown as NodeJS.WriteStream;
    let written = '';
    const realWrite = out.write.bind(out);
    out.write = ((chunk: string) => {
      written += chunk;
      return realWrite(chunk);
    }) as NodeJS.WriteStream['write'];
    const display = new LiveDisplay({
      stream: out,
      shared: [err],
      color: false,
      redact: (t) => t.replace('s3cret', '***'),
    });
    display.start();
    display.emit({ type: 'stage', stage: 'checking', state: 'started' });
    err.write('a log line with s3cret\n');
    display.emit({ type: 'message', level: 'info', text: 'hello s3cret' });
    display.stop({ failed: true });
    expect(written.startsWith('\x1b[?25l')).toBe(true);
    expect(written.endsWith('\x1b[?25h')).toBe(true);
    // Each redraw moves up over the previous frame and clears it.
    expect(written).toMatch(new RegExp(`${ESC}\\[\\d+A\\r${ESC}\\[J`));
    expect(written).toContain('hello ***');
    expect(written).not.toContain('hello s3cret');
    expect(written).toMatch(/✗ checking\s+failed/);
    // The interception is removed at stop.
    const before = written.length;
    err.write('after\n');
    expect(written.length).toBe(before);
  });
});
