// Import cycles checker, run by `pnpm check:cycles` and by `pnpm test` before the tests.
// It reads the TypeScript sources themselves: `./x.js` specifiers resolve to `./x.ts` as tsc
// resolves them, and workspace packages (`@pgshift/pg`) to their `src/index.ts` through the
// `exports` of their package.json, so a cycle between packages counts as much as one inside.
// Type-only imports count too: a cycle of types is still two files that cannot be read, moved
// or split apart one without the other.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle in non-test code. Break it by moving what both sides need to the module that owns it (a type to a types file, a rule to its own file), not by a lazy import.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Tests may import anything; only the code that ships is held to it.
    exclude: { path: ['(^|/)(test|node_modules|dist)/', '\\.test\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    progress: { type: 'none' },
  },
};
