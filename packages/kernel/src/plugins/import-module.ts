import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

/**
 * Imports a JS or TS module. A plain import comes first so the module shares this process's
 * instance of @pgshift/plugin-api (its tokens are symbols: a second copy would not match);
 * tsx's scoped import is the fallback for TS when no TS loader is active.
 */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}
