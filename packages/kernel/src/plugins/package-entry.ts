import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  pgshift?: { plugin?: boolean; name?: string };
}

export function readPackageJson(dir: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

const CONDITIONS = ['import', 'default', 'node', 'require'];

function pickExport(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const found = pickExport(t);
      if (found) return found;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    const map = target as Record<string, unknown>;
    for (const condition of CONDITIONS) if (condition in map) return pickExport(map[condition]);
  }
  return undefined;
}

/** The file a package's "." export (or main) points to, as an ESM import would pick it. */
export function packageEntry(dir: string, pkg: PackageJson): string | undefined {
  let rel: string | undefined;
  const exp = pkg.exports;
  if (exp !== undefined) {
    const root =
      exp && typeof exp === 'object' && !Array.isArray(exp) && '.' in (exp as object)
        ? (exp as Record<string, unknown>)['.']
        : exp;
    rel = pickExport(root);
  }
  rel ??= pkg.main ?? 'index.js';
  const file = resolve(dir, rel);
  return existsSync(file) ? file : undefined;
}

const FILE_EXTENSIONS = ['', '.ts', '.mts', '.js', '.mjs', '.cjs'];
const INDEX_FILES = ['index.ts', 'index.mts', 'index.js', 'index.mjs', 'src/index.ts', 'src/index.js'];

/** Resolves a path the way a plugin path in config means it: a file, or a package/directory. */
export function resolvePathRef(path: string, tried: string[]): string | undefined {
  for (const ext of FILE_EXTENSIONS) {
    const candidate = path + ext;
    tried.push(candidate);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    const pkg = readPackageJson(path);
    if (pkg) {
      const entry = packageEntry(path, pkg);
      if (entry) return entry;
    }
    for (const index of INDEX_FILES) {
      const candidate = join(path, index);
      tried.push(candidate);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Resolves a package name from `fromDir` by the node_modules lookup Node uses, recording every
 * directory looked at.
 */
export function resolvePackage(name: string, fromDir: string, tried: string[]): string | undefined {
  let dir = resolve(fromDir);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    tried.push(candidate);
    const pkg = readPackageJson(candidate);
    if (pkg) {
      const entry = packageEntry(candidate, pkg);
      if (entry) return entry;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The package directory a resolved entry file belongs to (nearest package.json). */
export function packageDirOf(file: string): string | undefined {
  let dir = dirname(file);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
