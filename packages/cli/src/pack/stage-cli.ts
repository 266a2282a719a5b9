import { copyFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FIRST_PARTY_MANIFEST, type FirstPartyManifestEntry } from '@pgshift/kernel';
import { bundle } from './bundle.js';
import { DependencySet } from './dependency-set.js';
import { writePackedBin } from './packed-bin.js';
import { writePublishManifest } from './publish-manifest.js';
import { type ThirdPartyDependencies, thirdPartyDependencies } from './third-party-dependencies.js';
import { sourceEntry, type Workspace, type WorkspacePackage } from './workspace.js';

/** The kit, staged and packed before the CLI: the CLI carries both packages and both tarballs. */
export interface StagedKit {
  /** Package name to its staging directory. */
  packages: Record<string, string>;
  tarballs: string[];
  /** What each shipped package needs from npm (the CLI installs it for them). */
  dependencies: Record<string, ThirdPartyDependencies>;
}

/**
 * Stages @pgshift/cli: the CLI and every first-party plugin bundled into dist/ (shared code in
 * dist/chunks/, so each module exists once), the manifest by which the kernel finds the bundled
 * plugins, the bin, the kit tarballs in kit/, and the kit packages themselves in
 * dist/node_modules/, where the bundle (and the conformance suite) resolve them by name. Nothing
 * @pgshift is fetched from a registry.
 *
 * Not npm's bundleDependencies: a global install of a package that has them fails outright when an
 * optional dependency's build fails (npm/cli#7355), which ssh2's cpu-features does wherever
 * node-gyp cannot build. npm installs and reads only the root node_modules; a nested one is
 * packed and left alone.
 */
export async function stageCli(workspace: Workspace, stageDir: string, kit: StagedKit): Promise<void> {
  const cli = workspace.get('@pgshift/cli');
  const shipped = Object.keys(kit.packages);
  const plugins = workspace.firstPartyPlugins();
  const entryPoints: Record<string, string> = { main: join(cli.dir, 'src', 'main.ts') };
  for (const plugin of plugins) entryPoints[pluginOutput(plugin)] = sourceEntry(plugin);
  const bundled = await bundle({
    workspace,
    entryPoints,
    outdir: join(stageDir, 'dist'),
    keepExternal: shipped,
  });
  // The CLI is the application: it provides its packages' peers (vitest) itself.
  const dependencies = new DependencySet();
  const optionalDependencies = new DependencySet();
  const needs = { 'the CLI bundle': thirdPartyDependencies(bundled, ['esbuild']), ...kit.dependencies };
  for (const [from, deps] of Object.entries(needs)) {
    dependencies.add(deps.dependencies.toJSON(), from).add(deps.peerDependencies.toJSON(), from);
    optionalDependencies.add(deps.optionalDependencies.toJSON(), from);
  }

  const manifest: FirstPartyManifestEntry[] = plugins.map((plugin) => ({
    packageName: plugin.manifest.name,
    ...(plugin.manifest.pgshift?.name ? { name: plugin.manifest.pgshift.name } : {}),
    entry: `dist/${pluginOutput(plugin)}.js`,
  }));
  writeFileSync(join(stageDir, FIRST_PARTY_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const bin = writePackedBin(workspace, stageDir);
  mkdirSync(join(stageDir, 'kit'));
  for (const tarball of kit.tarballs) copyFileSync(tarball, join(stageDir, 'kit', basename(tarball)));
  for (const [name, dir] of Object.entries(kit.packages))
    cpSync(dir, join(stageDir, 'dist', 'node_modules', name), { recursive: true });
  const readme = join(workspace.root, 'README.md');
  if (existsSync(readme)) copyFileSync(readme, join(stageDir, 'README.md'));

  writePublishManifest(stageDir, cli.manifest, {
    exports: undefined,
    bin: { pgshift: bin },
    files: ['bin', 'dist', 'kit', FIRST_PARTY_MANIFEST],
    // @types are for authors compiling against the kit; the CLI compiles nothing.
    dependencies: dependencies.toJSON((name) => optionalDependencies.has(name) || name.startsWith('@types/')),
    ...(optionalDependencies.names().length > 0
      ? { optionalDependencies: optionalDependencies.toJSON() }
      : {}),
  });
}

/** Where a first-party plugin's entry lands: dist/plugins/<its directory>/index.js. */
function pluginOutput(plugin: WorkspacePackage): string {
  return `plugins/${basename(plugin.dir)}/index`;
}
