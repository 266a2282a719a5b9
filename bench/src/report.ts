import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './pgshift/plugin-host.js';

export const BENCHMARKS_DOC = join(REPO_ROOT, 'docs', 'benchmarks.md');

const HEADER = `# Benchmarks

pgshift measured side by side with its peers, in the same run, on the same servers. The harness is
in \`bench/\`; each section below is rewritten by its benchmark and leaves the others as they are.
Tests never assert times; these figures are measured on demand:

    pnpm --filter @pgshift/bench full-copy -- --size-gb 1 --jobs 4
    pnpm --filter @pgshift/bench apply-rate -- --transactions 20000
    pnpm --filter @pgshift/bench apply-scale -- --transactions 100000 --scale 20 --apply-sessions 4
    pnpm --filter @pgshift/bench throttled-copy -- --size-gb 1.6 --mbps 20
    pnpm --filter @pgshift/bench verify -- --size-gb 1 --jobs 4 --rounds 3
    pnpm --filter @pgshift/bench cli-start -- --rounds 10
`;

/** A plain-text table with aligned columns. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The same table as Markdown. */
export function markdownTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Replaces the section `name` of docs/benchmarks.md (between its markers) with `body`, keeping
 * every other section; creates the file when missing.
 */
export function writeSection(name: string, body: string, path = BENCHMARKS_DOC): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : HEADER;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from >= 0 && to > from) doc = doc.slice(0, from) + block + doc.slice(to + end.length);
  else doc = `${doc.trimEnd()}\n\n${block}\n`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, doc.endsWith('\n') ? doc : `${doc}\n`);
}

export function seconds(value: number | undefined): string {
  return value === undefined ? '-' : `${value.toFixed(1)} s`;
}

export function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || b === 0 ? '-' : `${(a / b).toFixed(2)}×`;
}
