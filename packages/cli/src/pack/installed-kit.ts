import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cliPackageRoot } from '../cli-package.js';

/** The kit tarballs a packed CLI carries in its kit/ directory; undefined when running from a checkout. */
export function installedKit(): string[] | undefined {
  const kit = join(cliPackageRoot(), 'kit');
  if (!existsSync(kit)) return undefined;
  return readdirSync(kit)
    .filter((file) => file.endsWith('.tgz'))
    .sort()
    .map((file) => join(kit, file));
}

/** Copies the tarballs into `destination`; returns the copies' paths. */
export function copyKit(tarballs: readonly string[], destination: string): string[] {
  return tarballs.map((tarball) => {
    const copy = join(destination, basename(tarball));
    copyFileSync(tarball, copy);
    return copy;
  });
}
