import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { PackError } from './pack-error.js';

/** The fields of a workspace package.json that packing reads. */
export interface PackageManifest {
  name: string;
  version: string;
  description?: string;
  type?: string;
  license?: string;
  engines?: Record<string, string>;
  private?: boolean;
  exports?: Record<string, unknown>;
  publishConfig?: { exports?: Record<string, unknown> };
  files?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  pgshift?: { plugin?: boolean; name?: string };
}

export interface WorkspacePackage {
  dir: string;
  manifest: PackageManifest;
}

/** The pgshift checkout `pgshift pack` builds from: its root and every package pnpm-workspace.yaml names. */
export class Workspace {
  readonly root: string;
  /** The root package.json (the workspace's own devDependencies). */
  readonly rootManifest: PackageManifest;
  readonly packages: readonly WorkspacePackage[];

  private constructor(root: string) {
    this.root = root;
    this.rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageManifest;
    this.packages = packageDirs(root).flatMap((dir) => {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) return [];
      return [{ dir, manifest: JSON.parse(readFileSync(file, 'utf8')) as PackageManifest }];
    });
  }

  /** The checkout holding `dir`, or undefined when `dir` is not inside one. */
  static find(dir: string): Workspace | undefined {
    for (let current = resolve(dir); ; current = dirname(current)) {
      if (existsSync(join(current, 'pnpm-workspace.yaml'))) return new Workspace(current);
      if (dirname(current) === current) return undefined;
    }
  }

  get(name: string): WorkspacePackage {
    const found = this.packages.find((p) => p.manifest.name === name);
    if (!found)
      throw new PackError(
        `${this.root} has no package ${name}`,
        'run pgshift pack in a complete pgshift checkout',
      );
    return found;
  }

  /** The workspace package a source file belongs to (the deepest package directory holding it). */
  packageOf(file: string): WorkspacePackage | undefined {
    const inside = this.packages.filter((p) => file.startsWith(p.dir + sep));
    return inside.sort((a, b) => b.dir.length - a.dir.length)[0];
  }

  /** The first-party plugins: packages under plugins/ that carry the `"pgshift": { "plugin": true }` marker. */
  firstPartyPlugins(): WorkspacePackage[] {
    const plugins = join(this.root, 'plugins') + sep;
    return this.packages.filter((p) => p.dir.startsWith(plugins) && p.manifest.pgshift?.plugin === true);
  }
}

/** The source file a package's export `subpath` points to in the workspace (its `default` condition). */
export function sourceEntry(pkg: WorkspacePackage, subpath = '.'): string {
  const target = pkg.manifest.exports?.[subpath];
  const file =
    typeof target === 'string'
      ? target
      : (target as { default?: string; import?: string } | undefined)?.default;
  if (!file)
    throw new PackError(
      `${pkg.manifest.name} exports no "${subpath}"`,
      `give ${join(pkg.dir, 'package.json')} an exports entry for "${subpath}"`,
    );
  return resolve(pkg.dir, file);
}

/** The directories pnpm-workspace.yaml lists (`dir` or `dir/*`, the only forms this repository uses). */
function packageDirs(root: string): string[] {
  const lines = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').split('\n');
  const start = lines.findIndex((line) => /^packages:\s*$/.test(line));
  const patterns: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s+-\s+["']?([^"'\s#]+)["']?/.exec(line);
    if (item?.[1]) patterns.push(item[1]);
    else if (/^\S/.test(line)) break;
  }
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(parent, e.name));
  });
}
