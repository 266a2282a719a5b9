import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmPack } from './npm-pack.js';
import { stageCli } from './stage-cli.js';
import { stageConformance } from './stage-conformance.js';
import { stagePluginApi } from './stage-plugin-api.js';
import type { Workspace } from './workspace.js';

/**
 * Builds the three tarballs from a checkout into `destination` and returns their paths, the CLI's
 * first. The kit is packed first: the CLI carries both its packages and its tarballs. Staging
 * happens in a temp directory, removed at the end.
 */
export async function buildTarballs(
  workspace: Workspace,
  destination: string,
  progress: (line: string) => void,
): Promise<string[]> {
  const started = performance.now();
  const temp = mkdtempSync(join(tmpdir(), 'pgshift-pack-'));
  const stage = (name: string) => {
    const dir = join(temp, name);
    mkdirSync(dir);
    return dir;
  };
  try {
    progress('@pgshift/plugin-api: compiling (tsc)');
    const api = stagePluginApi(workspace, stage('plugin-api'));
    const apiTarball = npmPack(api, destination);

    progress('@pgshift/conformance: bundling (esbuild), type declarations (tsc)');
    const conformance = stage('conformance');
    const conformanceDeps = await stageConformance(workspace, conformance);
    const conformanceTarball = npmPack(conformance, destination);

    progress(
      `@pgshift/cli: bundling the CLI and ${workspace.firstPartyPlugins().length} first-party plugins (esbuild)`,
    );
    const cli = stage('cli');
    await stageCli(workspace, cli, {
      packages: { '@pgshift/plugin-api': api, '@pgshift/conformance': conformance },
      tarballs: [apiTarball, conformanceTarball],
      dependencies: { '@pgshift/conformance': conformanceDeps },
    });
    const cliTarball = npmPack(cli, destination);
    progress(`packed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return [cliTarball, apiTarball, conformanceTarball];
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
