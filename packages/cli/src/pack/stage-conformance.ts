import { dirname, join } from 'node:path';
import { bundle } from './bundle.js';
import { emitDeclarations } from './declarations.js';
import { PackError } from './pack-error.js';
import { writePublishManifest } from './publish-manifest.js';
import { type ThirdPartyDependencies, thirdPartyDependencies } from './third-party-dependencies.js';
import { typesPackagesFor } from './types-packages.js';
import { sourceEntry, type Workspace } from './workspace.js';

const PLUGIN_API = '@pgshift/plugin-api';
/** The suite file `pgshift conformance` hands to vitest; the runner looks for it beside itself. */
const SUITE = 'runner/plugin.conformance';

/**
 * Stages @pgshift/conformance as an installable package: its code and the workspace packages it
 * uses (pg, sandbox, kernel, ssh-tunnel, ...) bundled into dist/, one entry per publishConfig
 * export plus the suite file; @pgshift/plugin-api stays an import and a peer dependency, so an
 * author's plugin and the suite share one copy of its tokens. Returns its third-party dependencies.
 */
export async function stageConformance(
  workspace: Workspace,
  stageDir: string,
): Promise<ThirdPartyDependencies> {
  const pkg = workspace.get('@pgshift/conformance');
  const src = join(pkg.dir, 'src');
  const published = (pkg.manifest.publishConfig?.exports ?? {}) as Record<string, { default?: string }>;
  const entryPoints: Record<string, string> = { [SUITE]: join(src, `${SUITE}.ts`) };
  for (const [subpath, target] of Object.entries(published)) {
    const out = /^\.\/dist\/(.+)\.js$/.exec(target.default ?? '')?.[1];
    if (!out)
      throw new PackError(
        `@pgshift/conformance's publishConfig export "${subpath}" is not ./dist/<file>.js`,
        'point every publishConfig export of conformance/package.json at ./dist/<file>.js',
      );
    entryPoints[out] = sourceEntry(pkg, subpath);
  }
  const dist = join(stageDir, 'dist');
  const bundled = await bundle({ workspace, entryPoints, outdir: dist, keepExternal: [PLUGIN_API] });
  // The runner runs vitest on the suite file next to its own module: keep them together.
  const runner = bundled.outputOf(join(src, 'runner', 'run-conformance.ts'));
  if (!runner || dirname(runner) !== join(dist, dirname(SUITE)))
    throw new PackError(
      `the bundled conformance runner (${runner}) does not sit beside ${SUITE}.js`,
      'import run-conformance.ts from conformance/src/runner/index.ts only',
    );
  const typesImport = emitDeclarations({
    workspace,
    pkg,
    roots: Object.keys(published).map((subpath) => sourceEntry(pkg, subpath)),
    stageDir,
    keepExternal: [PLUGIN_API],
  });
  const deps = thirdPartyDependencies(bundled);
  deps.dependencies.add(typesPackagesFor(workspace, typesImport), 'its type declarations');
  const apiVersion = workspace.get(PLUGIN_API).manifest.version;
  writePublishManifest(stageDir, pkg.manifest, {
    files: ['dist'],
    peerDependencies: { [PLUGIN_API]: `^${apiVersion}`, ...deps.peerDependencies.toJSON() },
    dependencies: deps.dependencies.toJSON(),
    ...(deps.optionalDependencies.names().length > 0
      ? { optionalDependencies: deps.optionalDependencies.toJSON() }
      : {}),
  });
  return deps;
}
