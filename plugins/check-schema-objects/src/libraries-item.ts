import { checkResult, listNames } from '@pgshift/pg';
import type { Checker, CheckResult } from '@pgshift/plugin-api';
import type { LibraryProbe, NativeFunction } from './function-libraries.js';
import { byDatabase } from './remedy-lines.js';

export const LIBRARIES_ITEM = {
  id: 'target.function-libraries',
  title: 'The target can load the code of C-language functions and the security label providers',
} as const satisfies Pick<Checker, 'id' | 'title'>;

/** The providers part of a Failed item: which are not loaded, and the remedy lines. */
function providersProblem(missing: NonNullable<LibraryProbe['missingProviders']>): {
  text: string;
  remedy: string[];
} {
  const names = [...new Set(missing.map((p) => p.provider))];
  return {
    text: `the target has not loaded the security label provider${names.length === 1 ? '' : 's'} the source's labels name: ${listNames(missing.map((p) => `${p.provider} (${p.labels} label${p.labels === 1 ? '' : 's'} in ${p.database})`))}`,
    remedy: [
      `load ${names.join(', ')} on the target (shared_preload_libraries, as on the source, then restart it),`,
      'or remove those labels on the source: SECURITY LABEL FOR <provider> ON <object> IS NULL;',
    ],
  };
}

/** The `target.function-libraries` item. */
export function librariesItem(functions: NativeFunction[], probe: LibraryProbe): CheckResult {
  const missing = probe.missingProviders ?? [];
  const item = functionsItem(functions, probe);
  if (missing.length === 0) return item;
  const providers = providersProblem(missing);
  const withFunctions = item.status === 'failed';
  return checkResult(
    LIBRARIES_ITEM,
    'failed',
    withFunctions ? `${providers.text}; ${item.message}` : providers.text,
    [...providers.remedy, ...(withFunctions && item.remedy ? [item.remedy] : [])].join('\n'),
    { providers: missing, ...(withFunctions ? { functions: probe.failed } : {}) },
  );
}

/** One line per database and error (a missing library fails every function of it alike). */
function byError(failed: LibraryProbe['failed']): string[] {
  const groups = new Map<string, { error: string; database: string; names: string[] }>();
  for (const f of failed) {
    const key = `${f.database}\u0000${f.error}`;
    const group = groups.get(key) ?? { error: f.error, database: f.database, names: [] };
    group.names.push(f.name);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => `${g.error}, for ${listNames(g.names)} in ${g.database}`);
}

/** What the item says of the functions alone. */
function functionsItem(functions: NativeFunction[], probe: LibraryProbe): CheckResult {
  if (functions.length === 0)
    return checkResult(
      LIBRARIES_ITEM,
      'pass',
      'the selected databases have no C-language or internal function',
    );
  if (probe.unchecked !== undefined) {
    const libraries = [...new Set(functions.map((f) => f.library ?? 'the server itself'))];
    return checkResult(
      LIBRARIES_ITEM,
      'warning',
      `could not check that the target can load the code of ${functions.length} C-language or internal functions (${listNames(functions.map((f) => `${f.name} in ${f.database}`))}): ${probe.unchecked}`,
      [
        'run the check with target.user set to a superuser of the target (the schema copy needs one to create these functions too),',
        `or make sure the target host has these libraries, built for its major, in its library directory (pg_config --pkglibdir): ${libraries.join(', ')}`,
      ].join('\n'),
      { functions },
    );
  }
  if (probe.failed.length === 0)
    return checkResult(
      LIBRARIES_ITEM,
      'pass',
      `the target loads the code of all ${functions.length} C-language and internal functions`,
    );
  const libraries = [...new Set(probe.failed.flatMap((f) => (f.library === null ? [] : [f.library])))];
  return checkResult(
    LIBRARIES_ITEM,
    'failed',
    `the target cannot load the code of ${probe.failed.length} functions: ${byError(probe.failed).join('; ')}`,
    [
      ...(libraries.length > 0
        ? [
            `install these libraries, built for the target's major, in the target's library directory (pg_config --pkglibdir on the target host): ${libraries.join(', ')}`,
            'or drop the functions on the source if nothing needs them:',
          ]
        : ['drop the functions on the source if nothing needs them:']),
      ...byDatabase(probe.failed.map((f) => ({ database: f.database, remedy: `DROP FUNCTION ${f.name};` }))),
    ].join('\n'),
    { functions: probe.failed },
  );
}
