import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, parse } from 'node:path';
import type { Binaries } from './binaries-location.js';
import type { RunAs } from './unprivileged-user.js';

/**
 * PostgreSQL majors that no package registry carries as binaries. The sandbox runs them from an
 * installation built on this machine from public source, outside any repository: pgshift never
 * ships, vendors or builds PostgreSQL.
 */
export const SOURCE_BUILT_MAJORS = [9.3, 9.4, 9.5, 9.6] as const;

/** The environment variable that names the binaries of one source-built major: PGSHIFT_PG_BIN_9_5. */
export function binariesVariable(major: number): string {
  return `PGSHIFT_PG_BIN_${String(major).replace('.', '_')}`;
}

/**
 * Where the sandbox looks when the variable is unset: `$XDG_CACHE_HOME/pgshift/postgres/9.5`, or
 * `~/.cache/pgshift/postgres/9.5` — the prefix given to `configure --prefix` (with bin/ and lib/).
 */
export function binariesCacheDir(major: number): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'pgshift', 'postgres', String(major));
}

/** A directory given as an installation prefix or as its bin/ directory, as Binaries. */
function installationAt(dir: string, major: number): Binaries | undefined {
  for (const bin of [join(dir, 'bin'), dir]) {
    if (existsSync(join(bin, 'postgres')) && existsSync(join(bin, 'initdb')))
      return { major, bin, lib: join(dirname(bin), 'lib') };
  }
  return undefined;
}

/**
 * The binaries of a source-built major, or why there are none, in one line a skipped test can
 * show. The variable wins over the cache directory; a variable that names nothing usable is an
 * error of its own, not a silent fall-back.
 */
export function sourceBuiltBinaries(
  major: number,
): { binaries: Binaries; missing?: undefined } | { binaries?: undefined; missing: string } {
  const variable = binariesVariable(major);
  const given = process.env[variable];
  if (given) {
    const found = installationAt(given, major);
    if (found) return { binaries: found };
    return { missing: `${variable}=${given} holds no bin/postgres and bin/initdb` };
  }
  const found = installationAt(binariesCacheDir(major), major);
  if (found) return { binaries: found };
  return {
    missing: `set ${variable} to a PostgreSQL ${major} installation built from source (or install one at ${binariesCacheDir(major)})`,
  };
}

/** Whether `uid` may enter every directory from the root down to `path`. */
function traversable(path: string, runAs: RunAs): boolean {
  let dir = path;
  const { root } = parse(path);
  for (;;) {
    const st = statSync(dir);
    const mayEnter =
      st.uid === runAs.uid ? st.mode & 0o100 : st.gid === runAs.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!mayEnter) return false;
    if (dir === root) return true;
    dir = dirname(dir);
  }
}

function makeWorldReadable(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      chmodSync(path, 0o755);
      makeWorldReadable(path);
    } else {
      const { mode } = statSync(path);
      chmodSync(path, mode | 0o444 | ((mode & 0o100) !== 0 ? 0o111 : 0));
    }
  }
}

/**
 * Binaries the unprivileged server user can run. An installation in a private home (root's
 * ~/.cache is behind a 0700 /root) is copied once, keyed by its path and ages, to a world-readable
 * directory under the temp dir; PostgreSQL installations are relocatable.
 */
export function reachableBinaries(binaries: Binaries, runAs: RunAs | undefined): Binaries {
  if (!runAs || traversable(binaries.bin, runAs)) return binaries;
  const prefix = dirname(binaries.bin);
  // The lib directory's age too: a library added to an installation (a test's label provider)
  // makes a new copy.
  const stamp = createHash('sha256')
    .update(
      `${prefix}\0${statSync(join(binaries.bin, 'postgres')).mtimeMs}\0${statSync(binaries.lib).mtimeMs}`,
    )
    .digest('hex')
    .slice(0, 12);
  const copy = join(tmpdir(), `pgshift-pg-${binaries.major}-${stamp}`);
  if (!existsSync(join(copy, basename(binaries.bin), 'postgres'))) {
    const staging = `${copy}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(prefix, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    makeWorldReadable(staging);
    try {
      renameSync(staging, copy);
    } catch {
      // Another process made the same copy first; use theirs.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { major: binaries.major, bin: join(copy, basename(binaries.bin)), lib: join(copy, 'lib') };
}
