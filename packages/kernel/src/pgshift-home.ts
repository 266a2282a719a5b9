import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** pgshift's own folder on this machine: $PGSHIFT_HOME, else ~/.pgshift. */
export function pgshiftHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.PGSHIFT_HOME ? resolve(env.PGSHIFT_HOME) : join(homedir(), '.pgshift');
}
