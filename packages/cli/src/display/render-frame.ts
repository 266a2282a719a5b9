import { copyFraction, formatBytes, formatCount, formatDuration } from '@pgshift/kernel';
import { bold, cyan, dim, green, red, truncate, yellow } from './ansi.js';
import type { DisplayState, StageRow, StageState } from './display-state.js';

export interface FrameOptions {
  width: number;
  now: number;
  /** Colours and the spinner; off gives plain text (tests, dumb terminals). */
  color: boolean;
  /** At most this many tables in flight are listed. */
  maxTables?: number;
}

const BAR_WIDTH = 24;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** `[#######.........]`-style bar; the fraction is clamped to 0..1. */
export function bar(fraction: number, width = BAR_WIDTH): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

function mark(state: StageState, now: number, color: boolean): string {
  const paint = (f: (s: string) => string, s: string) => (color ? f(s) : s);
  switch (state) {
    case 'pending':
      return paint(dim, '·');
    case 'running':
      return paint(cyan, color ? (SPINNER[Math.floor(now / 100) % SPINNER.length] ?? '>') : '>');
    case 'done':
      return paint(green, '✓');
    case 'failed':
      return paint(red, '✗');
    case 'skipped':
      return paint(dim, '-');
  }
}

function stageLine(row: StageRow, options: FrameOptions): string {
  const label = row.stage.padEnd(10);
  const dbs = row.databases.length ? ` [${row.databases.join(', ')}]` : '';
  const took =
    row.startedAt !== undefined
      ? ` ${formatDuration(((row.endedAt ?? options.now) - row.startedAt) / 1000)}`
      : '';
  const text = `${mark(row.state, options.now, options.color)} ${label} ${row.state.padEnd(7)}${took}${dbs}`;
  return options.color && row.state === 'running' ? bold(text) : text;
}

/** The lines of one frame of the live display. */
export function renderFrame(state: DisplayState, options: FrameOptions): string[] {
  const lines: string[] = [];
  for (const row of state.stages) lines.push(stageLine(row, options));

  const copyStage = state.stages.find((r) => r.stage === 'full-copy');
  if (state.copies.size > 0 && copyStage?.state !== 'skipped') {
    const c = state.copy();
    const f = copyFraction(c);
    const rate = state.copyRate();
    const finished = f >= 1;
    const eta = finished
      ? '0s'
      : rate.bytes > 0
        ? formatDuration((c.totalBytes - c.bytes) / rate.bytes)
        : '?';
    lines.push('');
    lines.push(
      `copy  ${bar(f)} ${(f * 100).toFixed(0).padStart(3)}%  ${formatCount(c.rows)} rows  ` +
        `${formatBytes(c.bytes)} of ~${formatBytes(c.totalBytes)}  tables ${c.tablesDone}/${c.tablesTotal}`,
    );
    if (!finished)
      lines.push(
        `      ${formatBytes(Math.max(0, rate.bytes))}/s  ${formatCount(Math.round(Math.max(0, rate.rows)))} rows/s  ETA ${eta}`,
      );
    if (!finished) {
      const tables = state.inFlight();
      const shown = tables.slice(-(options.maxTables ?? 4));
      for (const t of shown) {
        const tf = t.totalBytes ? t.bytes / t.totalBytes : 0;
        const seconds = (options.now - t.startedAt) / 1000;
        const tRate = seconds > 0 ? t.bytes / seconds : 0;
        lines.push(
          `  ${bar(tf, 12)} ${t.database}.${t.table}  ${formatCount(t.rows)} rows  ${formatBytes(t.bytes)}` +
            `${t.totalBytes ? ` of ~${formatBytes(t.totalBytes)}` : ''}  ${formatBytes(tRate)}/s`,
        );
      }
      const more = tables.length - shown.length;
      const queued = state.queued();
      const rest = [more > 0 ? `… and ${more} more in flight` : '', queued > 0 ? `${queued} queued` : ''];
      if (more > 0 || queued > 0) lines.push(dimIf(`  ${rest.filter(Boolean).join(', ')}`, options));
    }
  }

  if (state.lag.size > 0) {
    lines.push('');
    for (const l of state.lag.values()) {
      const behind = l.lagBytes > 0 ? yellow : green;
      const lagText = `${formatBytes(l.lagBytes)} / ${l.lagSeconds.toFixed(1)}s`;
      lines.push(
        `sync  [${l.database}]  lag ${options.color ? behind(lagText) : lagText}  ` +
          `apply ${l.applyRate.toFixed(0)} tx/s  applied ${l.appliedLsn}  source ${l.sourceLsn}`,
      );
    }
  }
  return lines.map((line) => truncate(line, options.width));
}

function dimIf(s: string, options: FrameOptions) {
  return options.color ? dim(s) : s;
}
