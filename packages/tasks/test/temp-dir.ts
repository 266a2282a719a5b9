import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A temporary directory for one test file, removed by `cleanup`. */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-tasks-'));
  return {
    dir,
    write(name: string, text: string) {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
