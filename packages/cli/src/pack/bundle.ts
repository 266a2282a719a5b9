import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Message, Metafile } from 'esbuild';
import { PackError } from './pack-error.js';
import type { Workspace, WorkspacePackage } from './workspace.js';

export interface BundleOptions {
  workspace: Workspace;
  /** Output path without extension (e.g. `plugins/check-wal-level/index`) to source file. */
  entryPoints: Record<string, string>;
  outdir: string;
  /** @pgshift packages that stay imports (they ship as packages of their own); every other one is bundled. */
  keepExternal: readonly string[];
  /**
   * For a build that runs in place in the checkout: external imports are resolved now, from the
   * package that imports them, to absolute paths (pnpm gives each package only its own
   * dependencies, and the bundle sits in packages/cli), and `createRequire(import.meta.url)`
   * keeps resolving from its source file.
   */
  inPlace?: boolean;
}

export interface Bundle {
  /** The workspace packages whose code the bundle holds. */
  bundled: WorkspacePackage[];
  /** The packages the bundle imports (builtins left out), by package name. */
  imports: Set<string>;
  /** The output file that holds a source file's code. */
  outputOf(source: string): string | undefined;
  /** Every source file bundled, relative to the workspace root. */
  sources: string[];
}

const IN_PLACE = Symbol('resolving an external in place');
const CREATE_REQUIRE = 'createRequire(import.meta.url)';

/** `@scope/name/sub` and `name/sub` to the package name. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/**
 * Bundles first-party TypeScript into ESM for Node 20 with code splitting, so a module that two
 * entries share exists once (one copy of each class, token and registry). Third-party packages and
 * `keepExternal` stay imports, resolved from the installed package's node_modules.
 */
export async function bundle(options: BundleOptions): Promise<Bundle> {
  const { workspace, keepExternal } = options;
  // Loaded here, not at the top: esbuild is a devDependency of the checkout, absent from installs.
  const esbuild = await import('esbuild');
  const external = (specifier: string) =>
    !specifier.startsWith('@pgshift/') || keepExternal.includes(packageNameOf(specifier));
  let metafile: Metafile;
  try {
    const result = await esbuild.build({
      absWorkingDir: workspace.root,
      entryPoints: options.entryPoints,
      outdir: options.outdir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      chunkNames: 'chunks/[name]-[hash]',
      // Error classes set this.name from their constructor; keep the names bundling would rename.
      keepNames: true,
      tsconfig: join(workspace.root, 'tsconfig.json'),
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'pgshift-externals',
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, async (args) => {
              // Asked by the build.resolve below: esbuild's own resolution, to a file.
              if (!external(args.path) || args.pluginData === IN_PLACE) return undefined;
              if (!options.inPlace || isBuiltin(args.path)) return { path: args.path, external: true };
              const found = await build.resolve(args.path, {
                kind: args.kind,
                resolveDir: args.resolveDir,
                pluginData: IN_PLACE,
              });
              // Not installed (an optional dependency): left to fail, or not, when it is imported.
              return { path: found.errors.length > 0 ? args.path : found.path, external: true };
            });
            if (options.inPlace)
              build.onLoad({ filter: /\.ts$/ }, async (args) => {
                const text = await readFile(args.path, 'utf8');
                if (!text.includes(CREATE_REQUIRE)) return undefined;
                const here = `createRequire(${JSON.stringify(pathToFileURL(args.path).href)})`;
                return { contents: text.replaceAll(CREATE_REQUIRE, here), loader: 'ts' };
              });
          },
        },
      ],
    });
    metafile = result.metafile;
  } catch (error) {
    throw new PackError(
      `bundling failed: ${firstError(error)}`,
      'fix it (npx tsc -p tsconfig.json --noEmit shows it too), then pack again',
      error,
    );
  }
  const { inputs, outputs } = metafile;
  const imports = new Set<string>();
  const outputBySource = new Map<string, string>();
  for (const [output, meta] of Object.entries(outputs)) {
    for (const imported of meta.imports)
      if (imported.external && !isBuiltin(imported.path)) imports.add(packageNameOf(imported.path));
    for (const source of Object.keys(meta.inputs))
      outputBySource.set(resolve(workspace.root, source), resolve(workspace.root, output));
  }
  const bundled = new Set<WorkspacePackage>();
  for (const source of Object.keys(inputs)) {
    const pkg = workspace.packageOf(resolve(workspace.root, source));
    if (pkg) bundled.add(pkg);
  }
  return {
    bundled: [...bundled],
    imports,
    outputOf: (source) => outputBySource.get(resolve(source)),
    sources: Object.keys(inputs),
  };
}

/** esbuild's first error, with its file and line. */
function firstError(error: unknown): string {
  const first = (error as { errors?: Message[] }).errors?.[0];
  if (!first) return (error as Error).message;
  return `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}`;
}
