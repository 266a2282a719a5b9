import { isAbsolute, resolve } from 'node:path';
import { isPluginDefinition, type PluginDefinition, PluginLoadError } from '@pgshift/plugin-api';
import { checkApiVersion } from './api-version.js';
import { discoverFirstPartyPackages, type FirstPartyPackage, probablyNamed } from './first-party.js';
import { type ImportOptions, importModule } from './import-module.js';
import { resolvePackage, resolvePathRef } from './package-entry.js';

export interface FoundPlugin {
  definition: PluginDefinition;
  /** Where it came from: the package name and file, or the path. */
  source: string;
  firstParty: boolean;
  /** The module file it was loaded from, when it came from one. */
  file?: string;
}

/** A plugin reference that led nowhere; `tried` lists every place looked at. */
export class PluginNotFoundError extends PluginLoadError {
  readonly ref: string;
  readonly tried: readonly string[];

  constructor(ref: string, tried: readonly string[]) {
    super(`no plugin named "${ref}" (tried: ${tried.join(', ')})`, {
      remedy: 'check the spelling, install the package, or give a path relative to the config file',
      details: { ref, tried: [...tried] },
    });
    this.ref = ref;
    this.tried = tried;
  }
}

/** Takes a plugin's definition out of its module and checks that it can run here. */
export async function definitionFromFile(
  file: string,
  label: string,
  options: ImportOptions = {},
): Promise<PluginDefinition> {
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file, options);
  } catch (error) {
    throw new PluginLoadError(`plugin ${label} failed to load: ${(error as Error).message?.split('\n')[0]}`, {
      cause: error,
      details: { file },
    });
  }
  let candidate = mod.default ?? mod.plugin;
  if (!isPluginDefinition(candidate) && isPluginDefinition((candidate as { default?: unknown })?.default))
    candidate = (candidate as { default: unknown }).default;
  if (!isPluginDefinition(candidate))
    throw new PluginLoadError(`${label} (${file}) does not export a plugin definition`, {
      remedy: 'default-export the result of definePlugin({ meta, capabilities, register, ... })',
    });
  checkPluginDefinition(candidate);
  return candidate;
}

export function checkPluginDefinition(definition: PluginDefinition): void {
  checkApiVersion(definition.meta.name, definition.meta.apiVersion);
}

function isPathRef(ref: string): boolean {
  return ref.startsWith('.') || isAbsolute(ref);
}

/**
 * Finds plugins for one task: first-party ones by name, third-party ones by package name or by
 * path, both resolved from the config file's directory.
 */
export class PluginCatalog {
  readonly #baseDir: string;
  #packages: FirstPartyPackage[] | undefined;
  readonly #loaded = new Map<string, Promise<PluginDefinition>>();

  constructor(baseDir: string) {
    this.#baseDir = baseDir;
  }

  firstPartyPackages(): FirstPartyPackage[] {
    this.#packages ??= discoverFirstPartyPackages([this.#baseDir]);
    return this.#packages;
  }

  #loadPackage(pkg: FirstPartyPackage): Promise<PluginDefinition> {
    let promise = this.#loaded.get(pkg.entry);
    if (!promise) {
      promise = definitionFromFile(pkg.entry, pkg.packageName, { own: pkg.bundled === true });
      this.#loaded.set(pkg.entry, promise);
    }
    return promise;
  }

  /** Every first-party plugin that loads; those that fail are returned with their error. */
  async firstParty(): Promise<Array<FoundPlugin | { package: FirstPartyPackage; error: unknown }>> {
    return Promise.all(
      this.firstPartyPackages().map(async (pkg) => {
        try {
          return { definition: await this.#loadPackage(pkg), source: pkg.packageName, firstParty: true };
        } catch (error) {
          return { package: pkg, error };
        }
      }),
    );
  }

  async #firstPartyByName(name: string): Promise<FoundPlugin | undefined> {
    const packages = this.firstPartyPackages();
    // Cheap guesses from package names first; then every package, by its declared meta.name.
    const likely = packages.filter((p) => probablyNamed(p, name));
    for (const pkg of [...likely, ...packages.filter((p) => !likely.includes(p))]) {
      let definition: PluginDefinition;
      try {
        definition = await this.#loadPackage(pkg);
      } catch (error) {
        if (likely.includes(pkg)) throw error;
        continue;
      }
      if (definition.meta.name === name) return { definition, source: pkg.packageName, firstParty: true };
    }
    return undefined;
  }

  /** Resolves one reference (name, package name or path); throws PluginNotFoundError listing every place tried. */
  async resolve(ref: string): Promise<FoundPlugin> {
    const tried: string[] = [];
    if (isPathRef(ref)) {
      const file = resolvePathRef(resolve(this.#baseDir, ref), tried);
      if (file)
        return { definition: await definitionFromFile(file, ref), source: file, firstParty: false, file };
      throw new PluginNotFoundError(ref, tried);
    }
    const bare = !ref.startsWith('@') && !ref.includes('/');
    if (bare) {
      const found = await this.#firstPartyByName(ref);
      if (found) return found;
      const names = this.firstPartyPackages().map((p) => p.name ?? p.packageName);
      tried.push(`first-party plugins [${names.join(', ')}]`);
    }
    const packageNames = bare ? [`@pgshift/${ref}`, `@pgshift/plugin-${ref}`, ref] : [ref];
    for (const name of packageNames) {
      const file = resolvePackage(name, this.#baseDir, tried);
      if (file) {
        const definition = await definitionFromFile(file, name);
        return { definition, source: `${name} (${file})`, firstParty: name.startsWith('@pgshift/'), file };
      }
    }
    throw new PluginNotFoundError(ref, tried);
  }
}
