import { pathToFileURL } from 'node:url';

/**
 * The hook by which the program that runs the kernel (the CLI's bin) readies module loading for
 * code it does not carry itself: TypeScript through tsx, and the plugin-kit fallback. Set on
 * globalThis so the bin needs no import of the kernel; registering module hooks starts Node's
 * loader thread, which a run of first-party plugins alone never needs.
 */
export const PREPARE_FOREIGN_IMPORTS = Symbol.for('pgshift.prepareForeignImports');

let prepared: Promise<void> | undefined;

/** Readies module loading for code this installation does not carry (once; nothing when no hook is set). */
export function prepareForeignImports(): Promise<void> {
  prepared ??= (async () => {
    const prepare = (globalThis as Record<symbol, unknown>)[PREPARE_FOREIGN_IMPORTS];
    if (typeof prepare === 'function') await prepare();
  })();
  return prepared;
}

export interface ImportOptions {
  /** The module is compiled JavaScript carried by this installation (a bundled first-party plugin). */
  own?: boolean;
}

/**
 * Imports a JS or TS module. A plain import comes first so the module shares this process's
 * instance of @pgshift/plugin-api (its tokens are symbols: a second copy would not match);
 * tsx's scoped import is the fallback for TS when no TS loader is active.
 */
export async function importModule(
  file: string,
  options: ImportOptions = {},
): Promise<Record<string, unknown>> {
  if (!options.own) await prepareForeignImports();
  const url = pathToFileURL(file).href;
  try {
    return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    // Loaded here, not at the top: tsx takes a tenth of a second to import, and most runs never need it.
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}
