/**
 * Fails when a non-test TypeScript file casts through `unknown` (`x as unknown as T`): a double
 * cast silences the type checker where a type should say what the value is (a typed token, a
 * narrower interface, a type guard). Run by `pnpm test` (and alone as `pnpm check:casts`); prints
 * each place.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT, sourceFiles } from './source-files.js';

const DOUBLE_CAST = /\bas\s+unknown\s+as\b/;

const places: string[] = [];
for (const file of sourceFiles()) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (DOUBLE_CAST.test(line) && !line.trimStart().startsWith('//') && !line.trimStart().startsWith('*'))
      places.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
  });
}

if (places.length > 0) {
  console.error(
    `${places.length} cast(s) through unknown outside tests; give the value a type that says what it is:`,
  );
  for (const place of places) console.error(`  ${place}`);
  process.exit(1);
}
console.log('check-casts: no cast through unknown outside tests');
