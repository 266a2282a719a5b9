import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { PackError } from './pack-error.js';

/** Makes sure the tarballs can be written to `dir`, creating it when missing. */
export function prepareDestination(dir: string): string {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new PackError(`${dir} is a file, not a directory`, 'name a directory (it is created when missing)');
  try {
    makeDirectory(dir);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new PackError(
      `cannot write to ${dir}: ${(error as Error).message}`,
      'name a directory you may write to',
      error,
    );
  }
  return dir;
}

// Not mkdirSync's recursive mode: it spins forever under /proc (Node 20).
function makeDirectory(dir: string): void {
  if (existsSync(dir)) return;
  makeDirectory(dirname(dir));
  mkdirSync(dir);
}
