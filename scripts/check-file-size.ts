/**
 * Fails when a non-test TypeScript file is over 400 lines without saying why at its top: a
 * comment starting with `// Over 400 lines because` in its first five lines. A long file is
 * usually several concepts that want files of their own; the marker is for the rare one that is
 * one concept and reads better whole (docs/testing.md, "Size and shape checks").
 *
 * Run by `pnpm test` (and alone as `pnpm check:file-size`); prints each offending path.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT, sourceFiles } from './source-files.js';

const MAX_LINES = 400;
const MARKER = '// Over 400 lines because';
const MARKER_WITHIN = 5;

/** Lines as `wc -l` counts them: a last line without its newline still counts. */
function lineCount(text: string): number {
  const newlines = text.split('\n').length - 1;
  return text.length > 0 && !text.endsWith('\n') ? newlines + 1 : newlines;
}

function saysWhy(text: string): boolean {
  return text.split('\n', MARKER_WITHIN).some((line) => line.trimStart().startsWith(MARKER));
}

const offenders: { path: string; lines: number }[] = [];
for (const file of sourceFiles()) {
  const text = readFileSync(file, 'utf8');
  const lines = lineCount(text);
  if (lines > MAX_LINES && !saysWhy(text)) offenders.push({ path: relative(ROOT, file), lines });
}

if (offenders.length > 0) {
  console.error(
    `${offenders.length} non-test file(s) over ${MAX_LINES} lines without a reason at the top ` +
      `(split them, or start them with "${MARKER} ..."):`,
  );
  for (const { path, lines } of offenders.sort((a, b) => b.lines - a.lines))
    console.error(`  ${path} (${lines} lines)`);
  process.exit(1);
}
console.log(`check-file-size: no non-test file over ${MAX_LINES} lines without a reason at its top`);
