import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PackError } from './pack-error.js';
import { writePublishManifest } from './publish-manifest.js';
import { runTsc } from './run-tsc.js';
import type { Workspace } from './workspace.js';

/**
 * Stages @pgshift/plugin-api as published: compiled by its own tsconfig.build.json into dist/
 * (JavaScript, .d.ts and source maps), the other entries of its `files` (src/, which the maps
 * point to) copied. It has no dependencies, so nothing else to bring.
 */
export function stagePluginApi(workspace: Workspace, stageDir: string): string {
  const pkg = workspace.get('@pgshift/plugin-api');
  const { manifest } = pkg;
  const deps = { ...manifest.dependencies, ...manifest.peerDependencies };
  if (Object.keys(deps).length > 0)
    throw new PackError(
      `@pgshift/plugin-api now has dependencies (${Object.keys(deps).join(', ')}); pack does not ship them`,
      'keep plugin-api free of dependencies, or teach packages/cli/src/pack/stage-plugin-api.ts to declare them',
    );
  mkdirSync(stageDir, { recursive: true });
  runTsc(
    workspace,
    ['-p', join(pkg.dir, 'tsconfig.build.json'), '--outDir', join(stageDir, 'dist')],
    'compiling @pgshift/plugin-api',
  );
  const files = manifest.files ?? ['dist'];
  for (const entry of files.filter((f) => f !== 'dist'))
    cpSync(join(pkg.dir, entry), join(stageDir, entry), { recursive: true });
  writePublishManifest(stageDir, manifest, { files });
  return stageDir;
}
