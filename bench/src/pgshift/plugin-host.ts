import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  instantiatePlugin,
  isPluginDefinition,
  optionsOverDefaults,
  quietHost,
  type Token,
} from '@pgshift/plugin-api';

/** The repository root (bench/src/pgshift -> ../../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Entry file of a first-party plugin package, or undefined when the package is not there yet. */
export function pluginEntry(dir: string): string | undefined {
  const manifest = join(REPO_ROOT, dir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: { '.': { default?: string } } };
  const entry = join(REPO_ROOT, dir, pkg.exports?.['.']?.default ?? 'src/index.ts');
  return existsSync(entry) ? entry : undefined;
}

/**
 * Loads one plugin and resolves what it registered under `token`, through the registrar the
 * kernel uses, without a config file or the rest of a task.
 */
export async function hostPlugin<T>(
  entry: string,
  token: Token<T>,
  options: Record<string, unknown> = {},
): Promise<T> {
  const module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
  const definition = module.default;
  if (!isPluginDefinition(definition)) throw new Error(`${entry} does not default-export a plugin`);
  const instance = await instantiatePlugin(definition, {
    options: optionsOverDefaults(definition, options),
    host: quietHost,
  });
  return instance.resolver.resolve(token);
}
