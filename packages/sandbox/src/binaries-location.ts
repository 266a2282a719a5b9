/**
 * Where one major's PostgreSQL programs (`bin`) and libraries (`lib`) are: what findBinaries
 * returns, whether from an npm package, the system or a build from source (source-built.ts).
 */
export interface Binaries {
  major: number;
  bin: string;
  lib: string;
}

/** The environment the installation's programs (initdb, postgres) run with. */
export function envFor(binaries: Binaries): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, LD_LIBRARY_PATH: binaries.lib, LC_ALL: 'C', TZ: 'UTC' };
}
