import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pgshiftHome } from '@pgshift/kernel';

/**
 * The console's own directory (its token hashes): $PGSHIFT_CONSOLE_DIR, else `console` in
 * pgshift's home ($PGSHIFT_HOME or ~/.pgshift, where conformance reports are kept too).
 * Per user, not per store: the token guards the console, whichever store it serves.
 */
export function consoleStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PGSHIFT_CONSOLE_DIR ? resolve(env.PGSHIFT_CONSOLE_DIR) : join(pgshiftHome(env), 'console');
}

/** Creates the directory readable by its owner only (it holds what proves a token). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}
