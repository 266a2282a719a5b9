import type { Bundle } from './bundle.js';
import { DependencySet } from './dependency-set.js';
import { PackError } from './pack-error.js';

export interface ThirdPartyDependencies {
  dependencies: DependencySet;
  optionalDependencies: DependencySet;
  peerDependencies: DependencySet;
}

/**
 * What the bundled workspace packages declare, by kind. An optional dependency counts only when the
 * bundle still imports it: esbuild drops code no entry reaches (the sandbox's testcontainers
 * helpers), and the need goes with it. Fails when the bundle imports a package nobody declares
 * (it would be missing after install); `checkoutOnly` are imported only by code that runs in a
 * checkout (esbuild, by pack itself).
 */
export function thirdPartyDependencies(
  bundle: Bundle,
  checkoutOnly: readonly string[] = [],
): ThirdPartyDependencies {
  const out = {
    dependencies: new DependencySet(),
    optionalDependencies: new DependencySet(),
    peerDependencies: new DependencySet(),
  };
  for (const { manifest } of bundle.bundled) {
    out.dependencies.add(manifest.dependencies, manifest.name);
    out.peerDependencies.add(manifest.peerDependencies, manifest.name);
    out.optionalDependencies.add(manifest.optionalDependencies, manifest.name, (name) =>
      bundle.imports.has(name),
    );
  }
  const declared = (name: string) =>
    out.dependencies.has(name) || out.peerDependencies.has(name) || out.optionalDependencies.has(name);
  const undeclared = [...bundle.imports].filter(
    (name) => !name.startsWith('@pgshift/') && !declared(name) && !checkoutOnly.includes(name),
  );
  if (undeclared.length > 0)
    throw new PackError(
      `the bundle imports ${undeclared.join(', ')}, which no bundled package declares as a dependency`,
      'add each to the dependencies of the package that imports it (pnpm --filter <package> add <name>)',
    );
  return out;
}
