import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Binaries } from './binaries-location.js';

/**
 * PostgreSQL's regression database: the `regression` database its own `installcheck` leaves
 * behind, the standard hardest case for tools that copy a schema (every object kind, odd
 * inheritance, C types and functions from the suite's own libraries). It cannot be made from a
 * package, so tests take it, per major, from a directory prepared on the developer's machine
 * from public PostgreSQL source (never from this repository), holding
 *
 *   bin/, lib/, share/   the installation the suite ran against, with the suite's C libraries
 *                        (regress, refint, autoinc) in lib/ and functions naming `$libdir/...`
 *   data/                that installation's stopped cluster, superuser `postgres`, loopback trusted
 *
 * named by `PGSHIFT_REGRESSION_15` (`PGSHIFT_REGRESSION_9_5`, ...) or found at
 * `~/.cache/pgshift/regression/<major>`.
 */
export interface RegressionDatabase {
  binaries: Binaries;
  dataTemplate: string;
}

export function regressionVariable(major: number): string {
  return `PGSHIFT_REGRESSION_${String(major).replace('.', '_')}`;
}

export function regressionCacheDir(major: number): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'pgshift', 'regression', String(major));
}

function usable(dir: string): boolean {
  return (
    existsSync(join(dir, 'bin', 'postgres')) &&
    existsSync(join(dir, 'bin', 'initdb')) &&
    existsSync(join(dir, 'data', 'PG_VERSION'))
  );
}

/** The regression database of `major`, or one line saying how to provide it. */
export function regressionDatabase(
  major: number,
): { found: RegressionDatabase; missing?: undefined } | { found?: undefined; missing: string } {
  const variable = regressionVariable(major);
  const given = process.env[variable];
  const dir = given || regressionCacheDir(major);
  if (usable(dir))
    return {
      found: {
        binaries: { major, bin: join(dir, 'bin'), lib: join(dir, 'lib') },
        dataTemplate: join(dir, 'data'),
      },
    };
  if (given) return { missing: `${variable}=${given} holds no bin/postgres, bin/initdb and data/PG_VERSION` };
  return {
    missing: `set ${variable} to a PostgreSQL ${major} installation with the cluster its regression suite left in data/ (or put one at ${dir}; see docs/testing.md)`,
  };
}
