import { PackError } from './pack-error.js';

/**
 * Third-party dependencies gathered from several package.json files, with their specs kept as
 * written (ranges, npm alias specs). Two different specs for one package stop the pack: the
 * installed package could satisfy only one of them.
 */
export class DependencySet {
  readonly #specs = new Map<string, { spec: string; from: string }>();

  /** Adds the third-party entries of `deps` (never `@pgshift/*` or `workspace:` specs); `from` names their package. */
  add(
    deps: Record<string, string> | undefined,
    from: string,
    only: (name: string) => boolean = () => true,
  ): this {
    for (const [name, spec] of Object.entries(deps ?? {})) {
      if (name.startsWith('@pgshift/') || spec.startsWith('workspace:') || !only(name)) continue;
      const seen = this.#specs.get(name);
      if (seen && seen.spec !== spec)
        throw new PackError(
          `${name} is wanted as ${seen.spec} by ${seen.from} and as ${spec} by ${from}`,
          `give ${name} the same spec in both package.json files, then pack again`,
        );
      this.#specs.set(name, { spec, from });
    }
    return this;
  }

  has(name: string): boolean {
    return this.#specs.has(name);
  }

  names(): string[] {
    return [...this.#specs.keys()];
  }

  /** The entries sorted by name, as package.json lists them; `except` are left out. */
  toJSON(except: (name: string) => boolean = () => false): Record<string, string> {
    const names = [...this.#specs.keys()].filter((name) => !except(name)).sort();
    return Object.fromEntries(names.map((name) => [name, this.#specs.get(name)?.spec ?? '']));
  }
}
