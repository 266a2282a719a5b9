import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, explainCode } from '../src/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
// Names of environment variables, not error codes.
const ENVIRONMENT = new Set([
  'PGSHIFT_CHROMIUM',
  'PGSHIFT_CONFORMANCE_BASE_DIR',
  'PGSHIFT_CONFORMANCE_MAJORS',
  'PGSHIFT_CONFORMANCE_PLUGIN',
  'PGSHIFT_DEMO_PASSWORD',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'test' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every 'PGSHIFT_...' string literal in the code pgshift ships, with a file that has it. */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  const roots = ['packages', 'plugins'].flatMap((top) =>
    readdirSync(join(REPO, top)).map((name) => join(REPO, top, name, 'src')),
  );
  for (const root of [...roots, join(REPO, 'conformance', 'src')]) {
    let files: string[];
    try {
      files = sourceFiles(root);
    } catch {
      continue;
    }
    for (const file of files)
      for (const match of readFileSync(file, 'utf8').matchAll(/'(PGSHIFT_[A-Z0-9_]+)'/g))
        if (!ENVIRONMENT.has(match[1]!)) found.set(match[1]!, file.slice(REPO.length));
  }
  return found;
}

/** Heading anchors of a docs page, as GitHub makes them. */
function anchors(page: string): Set<string> {
  const text = readFileSync(join(REPO, 'docs', page), 'utf8');
  return new Set(
    [...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1]!
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('the error code registry', () => {
  it('has an entry, with what happened and a remedy, for every code the code raises', () => {
    const codes = codesInSources();
    expect(codes.size).toBeGreaterThan(30);
    const missing = [...codes]
      .filter(([code]) => !ERROR_CODES[code])
      .map(([code, file]) => `${code} (${file})`);
    expect(missing, 'codes thrown without a registry entry').toEqual([]);
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(entry.what.length, code).toBeGreaterThan(10);
      expect(entry.remedy.length, code).toBeGreaterThan(10);
    }
  });

  it('lists no code that nothing raises any more', () => {
    const codes = codesInSources();
    expect(Object.keys(ERROR_CODES).filter((code) => !codes.has(code))).toEqual([]);
  });

  it('points every entry at a docs heading that exists', () => {
    for (const [code, { docs }] of Object.entries(ERROR_CODES)) {
      const [page, anchor] = docs.split('#') as [string, string];
      expect(anchors(page).has(anchor), `${code}: docs/${docs}`).toBe(true);
    }
  });

  it('explains a code with or without its prefix, in any case', () => {
    expect(explainCode('snapshot_lost')?.code).toBe('PGSHIFT_SNAPSHOT_LOST');
    expect(explainCode('PGSHIFT_REPL_APPLY')?.entry.docs).toBe('incremental-sync.md#errors-and-drift');
    expect(explainCode('NOPE')).toBeUndefined();
  });
});
