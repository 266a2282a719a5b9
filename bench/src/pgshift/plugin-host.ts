import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  isPluginDefinition,
  LOGGER,
  type Registrar,
  type Resolver,
  silentLogger,
  type Token,
} from '@pgshift/plugin-api';
import { container, Lifecycle } from 'tsyringe';

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
 * Loads one plugin and resolves what it registered under `token`, the way the kernel does
 * (a child container behind plugin-api's Registrar), without a config file or the rest of a task.
 */
export async function hostPlugin<T>(
  entry: string,
  token: Token<T>,
  options: Record<string, unknown> = {},
): Promise<T> {
  const module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
  const definition = module.default;
  if (!isPluginDefinition(definition)) throw new Error(`${entry} does not default-export a plugin`);
  const child = container.createChildContainer();
  child.register(LOGGER, { useValue: silentLogger });
  const resolver: Resolver = {
    resolve: <U>(t: Token<U>) => child.resolve<U>(t),
    isRegistered: <U>(t: Token<U>) => child.isRegistered(t, true),
  };
  const registrar: Registrar = {
    plugin: definition.meta,
    options: { ...(definition.defaultOptions ?? {}), ...options },
    ...resolver,
    value: (t, value) => child.register(t, { useValue: value }),
    factory: (t, factory) => child.register(t, { useFactory: () => factory(resolver) }),
    singleton: (t, ctor) =>
      child.register(
        t,
        { useClass: ctor as unknown as new (...args: unknown[]) => unknown },
        { lifecycle: Lifecycle.Singleton },
      ),
  };
  await definition.register(registrar);
  return resolver.resolve(token);
}
