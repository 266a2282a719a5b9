import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackError } from './pack-error.js';
import type { PackageManifest } from './workspace.js';

/**
 * Writes the package.json a packed package ships: the workspace one's identity, its publishConfig
 * exports in place of the source exports, and the given fields. No scripts, no devDependencies,
 * and never a `workspace:` spec (npm cannot install one).
 */
export function writePublishManifest(
  stageDir: string,
  manifest: PackageManifest,
  fields: Record<string, unknown>,
): void {
  const exports = manifest.publishConfig?.exports;
  const published: Record<string, unknown> = {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    type: manifest.type,
    license: manifest.license,
    engines: manifest.engines,
    ...(exports ? { exports } : {}),
    ...fields,
  };
  for (const [key, value] of Object.entries(published)) if (value === undefined) delete published[key];
  const text = `${JSON.stringify(published, null, 2)}\n`;
  if (text.includes('"workspace:'))
    throw new PackError(
      `the packed package.json of ${manifest.name} still has a workspace: spec`,
      'this is a bug in pgshift pack: every @pgshift dependency must be bundled, shipped or rewritten',
    );
  writeFileSync(join(stageDir, 'package.json'), text);
}
