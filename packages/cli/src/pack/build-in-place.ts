import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { FIRST_PARTY_MANIFEST, type FirstPartyManifestEntry } from '@pgshift/kernel';
import { bundle } from './bundle.js';
import { sourceEntry, type Workspace } from './workspace.js';

/** Written last into packages/cli/dist: when the build began and every file it was made from. */
export const BUILD_INFO = 'build-info.json';

export interface BuildInfo {
  /** Milliseconds since the epoch when the build began to read its sources. */
  startedAt: number;
  /** Absolute paths: a build is fresh while none of them is newer than `startedAt` or gone. */
  inputs: string[];
}

/**
 * Builds the checkout's CLI to JavaScript in place, in packages/cli/dist: the CLI and every
 * first-party plugin bundled with esbuild (shared code once, in dist/chunks/), the manifest by
 * which the kernel finds the bundled plugins, and dist/plugin-api.js, the bundle's own
 * @pgshift/plugin-api, which plugins loaded at run time are given so they share its instance.
 * bin/pgshift.mjs runs it while it is fresh (BUILD_INFO) and the TypeScript through tsx otherwise.
 * Built beside and swapped in, so a CLI running from the old build keeps its files meanwhile.
 */
export async function buildInPlace(workspace: Workspace): Promise<{ dir: string; inputs: number }> {
  const cli = workspace.get('@pgshift/cli');
  const dist = join(cli.dir, 'dist');
  const next = `${dist}.next-${process.pid}`;
  const startedAt = Date.now();
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next);
  const plugins = workspace.firstPartyPlugins();
  const entryPoints: Record<string, string> = {
    main: join(cli.dir, 'src', 'main.ts'),
    'plugin-api': sourceEntry(workspace.get('@pgshift/plugin-api')),
  };
  const output = (dir: string) => `plugins/${basename(dir)}/index`;
  for (const plugin of plugins) entryPoints[output(plugin.dir)] = sourceEntry(plugin);
  try {
    const bundled = await bundle({
      workspace,
      entryPoints,
      outdir: next,
      keepExternal: ['@pgshift/conformance'],
      inPlace: true,
    });
    const manifest: FirstPartyManifestEntry[] = plugins.map((plugin) => ({
      packageName: plugin.manifest.name,
      ...(plugin.manifest.pgshift?.name ? { name: plugin.manifest.pgshift.name } : {}),
      entry: `${output(plugin.dir)}.js`,
    }));
    writeFileSync(join(next, FIRST_PARTY_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const inputs = new Set(bundled.sources.map((source) => resolve(workspace.root, source)));
    // What decides how the sources resolve and compile, and the plugins/ directory (a new plugin).
    for (const pkg of workspace.packages) inputs.add(join(pkg.dir, 'package.json'));
    for (const file of ['package.json', 'tsconfig.json', 'tsconfig.base.json', 'plugins'])
      inputs.add(join(workspace.root, file));
    const info: BuildInfo = { startedAt, inputs: [...inputs].filter((file) => existsSync(file)).sort() };
    writeFileSync(join(next, BUILD_INFO), `${JSON.stringify(info, null, 1)}\n`);
    const old = `${dist}.old-${process.pid}`;
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(next, dist);
    rmSync(old, { recursive: true, force: true });
    return { dir: dist, inputs: info.inputs.length };
  } finally {
    rmSync(next, { recursive: true, force: true });
  }
}
