import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageEntry, readPackageJson } from './package-entry.js';

/** A package that declares itself a pgshift plugin (`"pgshift": { "plugin": true }`). */
export interface FirstPartyPackage {
  packageName: string;
  dir: string;
  entry: string;
  /** Name hint from package.json (`pgshift.name`), when the package gives one. */
  name?: string;
  /** Compiled into the running CLI itself (listed in its manifest: a packed CLI, a checkout build). */
  bundled?: boolean;
}

const KERNEL_DIR = dirname(fileURLToPath(import.meta.url));

function ancestors(dir: string): string[] {
  const out: string[] = [];
  let current = resolve(dir);
  for (;;) {
    out.push(current);
    const parent = dirname(current);
    if (parent === current) return out;
    current = parent;
  }
}

/** Written by `pgshift pack` at the root of the packed CLI: the plugins bundled into it. */
export const FIRST_PARTY_MANIFEST = 'first-party-plugins.json';

/** One bundled plugin in the manifest; `entry` is relative to the manifest's directory. */
export interface FirstPartyManifestEntry {
  packageName: string;
  name?: string;
  entry: string;
}

/** The plugins of the nearest manifest above the kernel (none when running from the repository). */
function manifestPackages(): FirstPartyPackage[] {
  for (const dir of ancestors(KERNEL_DIR)) {
    const file = join(dir, FIRST_PARTY_MANIFEST);
    if (!existsSync(file)) continue;
    const entries = JSON.parse(readFileSync(file, 'utf8')) as FirstPartyManifestEntry[];
    return entries.map(({ packageName, name, entry }) => ({
      packageName,
      dir: dirname(resolve(dir, entry)),
      entry: resolve(dir, entry),
      bundled: true,
      ...(name ? { name } : {}),
    }));
  }
  return [];
}

/** Workspace roots above the kernel: in this repository, where the first-party plugins live. */
function workspacePluginDirs(): string[] {
  const out: string[] = [];
  for (const dir of ancestors(KERNEL_DIR)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) {
      const plugins = join(dir, 'plugins');
      if (existsSync(plugins)) out.push(...subdirs(plugins));
      break;
    }
  }
  return out;
}

/** Installed from npm: every `@pgshift/*` package in node_modules above the kernel or the config. */
function installedPluginDirs(fromDirs: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const from of fromDirs) {
    for (const dir of ancestors(from)) {
      const scope = join(dir, 'node_modules', '@pgshift');
      if (seen.has(scope) || !existsSync(scope)) continue;
      seen.add(scope);
      out.push(...subdirs(scope));
    }
  }
  return out;
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() || e.isSymbolicLink())
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

/**
 * Finds first-party plugin packages: those a packed CLI bundles (its manifest), the workspace's
 * `plugins/*` when running from the repository, and installed `@pgshift/*` packages. The last two
 * are recognised by the package.json marker.
 */
export function discoverFirstPartyPackages(extraDirs: readonly string[] = []): FirstPartyPackage[] {
  const found = new Map<string, FirstPartyPackage>(manifestPackages().map((p) => [p.packageName, p]));
  for (const dir of [...workspacePluginDirs(), ...installedPluginDirs([KERNEL_DIR, ...extraDirs])]) {
    const pkg = readPackageJson(dir);
    if (!pkg?.pgshift?.plugin || !pkg.name || found.has(pkg.name)) continue;
    const entry = packageEntry(dir, pkg);
    if (!entry) continue;
    found.set(pkg.name, {
      packageName: pkg.name,
      dir,
      entry,
      ...(typeof pkg.pgshift.name === 'string' ? { name: pkg.pgshift.name } : {}),
    });
  }
  return [...found.values()].sort((a, b) => a.packageName.localeCompare(b.packageName));
}

/** Whether a package is likely the one named `name`, judged from its names alone (no import). */
export function probablyNamed(pkg: FirstPartyPackage, name: string): boolean {
  if (pkg.name !== undefined) return pkg.name === name;
  const base = basename(pkg.dir);
  return (
    pkg.packageName === `@pgshift/${name}` ||
    pkg.packageName === `@pgshift/plugin-${name}` ||
    base === name ||
    base === `plugin-${name}`
  );
}
