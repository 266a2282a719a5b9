import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The root of the @pgshift/cli package this code runs from: packages/cli in a checkout, the
 * installed package once packed (the bundle's dist/ has no package.json of its own).
 */
export function cliPackageRoot(): string {
  const here = fileURLToPath(import.meta.url);
  let dir = dirname(here);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${here}`);
    dir = parent;
  }
  return dir;
}

export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(join(cliPackageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
