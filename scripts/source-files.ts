import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root, and the folders whose sources the shape checks read. */
export const ROOT = join(import.meta.dirname, '..');
export const SOURCE_FOLDERS = ['packages', 'plugins', 'conformance', 'bench', 'scripts'];
/** Folders never walked: dependencies, build output, and tests (the checks hold them to nothing). */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'test']);

/** Every TypeScript file outside tests under `dir`. */
export function* typeScriptFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) yield* typeScriptFiles(path);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      yield path;
    }
  }
}

/** Every TypeScript file outside tests in the folders the checks read. */
export function* sourceFiles(): Generator<string> {
  for (const folder of SOURCE_FOLDERS) yield* typeScriptFiles(join(ROOT, folder));
}
