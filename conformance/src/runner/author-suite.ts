import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePackage } from '@pgshift/kernel';

/** The packages a plugin's tests import from pgshift; a missing one is taken from this installation. */
const CONTRACT_PACKAGES = ['@pgshift/plugin-api', '@pgshift/conformance'] as const;

const TEST_FILE = /\.test\.(ts|mts|js|mjs)$/;

export interface AuthorSuite {
  root: string;
  include: string[];
  /**
   * Exact-name aliases: the contract packages the package has not installed (yet), and vitest
   * always, so the tests register with the runner that runs them, not with a second copy.
   */
  alias: Array<{ find: RegExp; replacement: string }>;
  /** Installed @pgshift packages go through vite too, so the vitest alias reaches their imports. */
  inline: RegExp[];
}

function hasTests(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some(
    (file) => TEST_FILE.test(file) && !file.includes('node_modules'),
  );
}

/**
 * How to run a plugin package's own conformance tests: its test/ folder, with
 * @pgshift/plugin-api and @pgshift/conformance resolved to this installation's copies when the
 * package has not installed them, so `pgshift conformance DIR` works before `npm install` as after.
 * Undefined when the package has no tests of its own.
 */
export function authorSuite(packageDir: string): AuthorSuite | undefined {
  if (!hasTests(join(packageDir, 'test'))) return undefined;
  const exact = (name: string) => ({
    find: new RegExp(`^${name.replace('/', '\\/')}$`),
    replacement: fileURLToPath(import.meta.resolve(name)),
  });
  const missing = CONTRACT_PACKAGES.filter((name) => !resolvePackage(name, packageDir, []));
  return {
    root: packageDir,
    include: ['test/**/*.test.{ts,mts,js,mjs}'],
    alias: [...missing.map(exact), exact('vitest')],
    inline: [/@pgshift\//],
  };
}
