import type { Workspace } from './workspace.js';

/**
 * The DefinitelyTyped packages (`@types/pg`) for third-party packages that published declarations
 * import, with the specs the checkout itself uses: where pgshift needed them to typecheck, an
 * author compiling against those declarations needs them too. Packages that ship their own types
 * have no such entry in the checkout and are skipped.
 */
export function typesPackagesFor(workspace: Workspace, names: Iterable<string>): Record<string, string> {
  const declared: Record<string, string> = {};
  for (const manifest of [workspace.rootManifest, ...workspace.packages.map((p) => p.manifest)])
    Object.assign(declared, manifest.devDependencies, manifest.dependencies);
  const out: Record<string, string> = {};
  for (const name of names) {
    const types = `@types/${name.replace(/^@([^/]+)\//, '$1__')}`;
    const spec = declared[types];
    if (spec && !spec.startsWith('workspace:')) out[types] = spec;
  }
  return out;
}
