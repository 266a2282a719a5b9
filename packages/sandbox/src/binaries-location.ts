/**
 * Where one major's PostgreSQL programs (`bin`) and libraries (`lib`) are: what findBinaries
 * returns, whether from an npm package, the system or a build from source (source-built.ts).
 */
export interface Binaries {
  major: number;
  bin: string;
  lib: string;
}
