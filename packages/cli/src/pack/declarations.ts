import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { packageNameOf } from './bundle.js';
import { runTsc } from './run-tsc.js';
import { sourceEntry, type Workspace, type WorkspacePackage } from './workspace.js';

export interface DeclarationOptions {
  workspace: Workspace;
  /** The package being packed; its src/ becomes dist/. */
  pkg: WorkspacePackage;
  /** The source files whose types are published (the entries of its exports). */
  roots: string[];
  stageDir: string;
  /** @pgshift packages the packed package imports by name (peer dependencies); their types are not copied. */
  keepExternal: readonly string[];
}

// `from '…'`, `import('…')` and `import '…'`.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\2/g;

/**
 * Type declarations for a package whose code bundles other workspace packages: tsc emits .d.ts for
 * the package and every workspace file its types reach. The package's own src/ lands in dist/
 * beside the bundled JavaScript (so its publishConfig exports hold), the other packages' files
 * under dist/internal/, and their `@pgshift/*` imports become relative paths. Returns the other
 * packages the declarations import (`node` for Node's own modules), whose types an author needs.
 */
export function emitDeclarations(options: DeclarationOptions): Set<string> {
  const { workspace, pkg, stageDir, keepExternal } = options;
  const temp = mkdtempSync(join(tmpdir(), 'pgshift-pack-types-'));
  try {
    const out = join(temp, 'out');
    const tsconfig = {
      extends: join(workspace.root, 'tsconfig.base.json'),
      compilerOptions: {
        rootDir: workspace.root,
        outDir: out,
        noEmit: false,
        declaration: true,
        emitDeclarationOnly: true,
        sourceMap: false,
        declarationMap: false,
        // This tsconfig lives in a temp directory: find @types/node in the checkout.
        typeRoots: [join(workspace.root, 'node_modules', '@types')],
        // Reached through node_modules, workspace sources would count as libraries and get no .d.ts.
        paths: sourcePaths(workspace, keepExternal),
      },
      files: options.roots,
    };
    writeFileSync(join(temp, 'tsconfig.json'), JSON.stringify(tsconfig));
    runTsc(
      workspace,
      ['-p', join(temp, 'tsconfig.json')],
      `writing the type declarations of ${pkg.manifest.name}`,
    );
    const ownSrc = join(relative(workspace.root, pkg.dir), 'src') + sep;
    const placeOf = (rel: string) =>
      rel.startsWith(ownSrc) ? join('dist', rel.slice(ownSrc.length)) : join('dist', 'internal', rel);
    const imported = new Set<string>();
    const specifierFor = (fromPlaced: string, specifier: string) => {
      if (specifier.startsWith('.')) return specifier;
      const name = isBuiltin(specifier) ? 'node' : packageNameOf(specifier);
      if (!name.startsWith('@pgshift/')) imported.add(name);
      if (!name.startsWith('@pgshift/') || keepExternal.includes(name)) return specifier;
      const target = sourceEntry(workspace.get(name), `.${specifier.slice(name.length)}`);
      const placed = placeOf(relative(workspace.root, target)).replace(/\.ts$/, '.js');
      const path = relative(dirname(fromPlaced), placed).split(sep).join('/');
      return path.startsWith('.') ? path : `./${path}`;
    };
    for (const rel of declarationFiles(out)) {
      const owner = workspace.packageOf(join(workspace.root, rel));
      if (owner && keepExternal.includes(owner.manifest.name)) continue;
      const placed = placeOf(rel);
      const source = readFileSync(join(out, rel), 'utf8');
      for (const [, name] of source.matchAll(/\/\/\/ <reference types="([^"]+)"/g))
        if (name) imported.add(name);
      const text = source.replace(
        SPECIFIER,
        (_all, lead: string, quote: string, specifier: string) =>
          `${lead}${quote}${specifierFor(placed, specifier)}${quote}`,
      );
      mkdirSync(dirname(join(stageDir, placed)), { recursive: true });
      writeFileSync(join(stageDir, placed), text);
    }
    return imported;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** Every .d.ts under `dir`, relative to it. */
function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.d.ts'));
}

/** Each workspace package's exports (`@pgshift/pg`, `@pgshift/conformance/runner`) to its source file. */
function sourcePaths(workspace: Workspace, keepExternal: readonly string[]): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const pkg of workspace.packages) {
    const { name, exports } = pkg.manifest;
    if (keepExternal.includes(name) || !exports) continue;
    for (const subpath of Object.keys(exports)) paths[name + subpath.slice(1)] = [sourceEntry(pkg, subpath)];
  }
  return paths;
}
