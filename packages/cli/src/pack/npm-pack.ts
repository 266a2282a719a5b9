import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PackError } from './pack-error.js';

/**
 * `npm pack` of a staged package directory into `destination`; returns the tarball's path. Runs
 * offline: packing reads only the directory (bundled dependencies included), and no script runs.
 */
export function npmPack(stageDir: string, destination: string): string {
  const result = spawnSync(
    'npm',
    ['pack', stageDir, '--pack-destination', destination, '--ignore-scripts', '--json', '--loglevel=error'],
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new PackError(
      `npm pack of ${stageDir} failed: ${(result.stderr || result.error?.message || '').trim().split('\n')[0]}`,
      'pgshift pack needs npm (it comes with Node.js) on the PATH',
    );
  const [packed] = JSON.parse(result.stdout) as Array<{ filename: string }>;
  if (!packed)
    throw new PackError(`npm pack of ${stageDir} reported no tarball`, 'run npm pack by hand to see why');
  return join(destination, packed.filename);
}
