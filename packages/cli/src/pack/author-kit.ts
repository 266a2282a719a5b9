import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageDirOf } from '@pgshift/kernel';
import { cliPackageRoot } from '../cli-package.js';
import { buildKitTarballs } from './build-tarballs.js';
import { prepareDestination } from './destination.js';
import { copyKit, installedKit } from './installed-kit.js';
import { PackError } from './pack-error.js';
import { Workspace } from './workspace.js';

/** The kit as written into a directory: tarball file names and their version. */
export interface AuthorKit {
  version: string;
  pluginApi: string;
  conformance: string;
  /** The written files, relative to the working directory, for the user. */
  files: string[];
}

/** The version of @pgshift/plugin-api (and so of the kit) this pgshift carries. */
export function authorKitVersion(): string {
  const dir = packageDirOf(fileURLToPath(import.meta.resolve('@pgshift/plugin-api')));
  if (!dir) throw new PackError('cannot find the @pgshift/plugin-api of this pgshift', 'reinstall pgshift');
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Writes the plugin-author kit (@pgshift/plugin-api and @pgshift/conformance tarballs) into
 * `destination`: copied from an installed pgshift, built from the source in a checkout.
 */
export async function writeAuthorKit(
  destination: string,
  progress: (line: string) => void,
): Promise<AuthorKit> {
  const dir = prepareDestination(destination);
  let tarballs = installedKit();
  if (tarballs) tarballs = copyKit(tarballs, dir);
  else {
    const workspace = Workspace.find(cliPackageRoot());
    if (!workspace)
      throw new PackError(
        `pgshift at ${cliPackageRoot()} is neither a checkout nor a packed installation`,
        'reinstall pgshift from its tarball',
      );
    tarballs = await buildKitTarballs(workspace, dir, progress);
  }
  const named = (prefix: string) => {
    const found = tarballs.map((t) => basename(t)).find((t) => t.startsWith(prefix));
    if (!found) throw new PackError(`the kit has no ${prefix}*.tgz`, 'reinstall pgshift from its tarball');
    return found;
  };
  return {
    version: authorKitVersion(),
    pluginApi: named('pgshift-plugin-api-'),
    conformance: named('pgshift-conformance-'),
    files: tarballs.map((t) => relative(process.cwd(), t) || t),
  };
}
