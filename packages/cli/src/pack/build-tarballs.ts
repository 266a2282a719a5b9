import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmPack } from './npm-pack.js';
import { stageCli } from './stage-cli.js';
import { stageConformance } from './stage-conformance.js';
import { stagePluginApi } from './stage-plugin-api.js';
import type { Workspace } from './workspace.js';

interface StagedKit {
  api: string;
  apiTarball: string;
  conformance: string;
  conformanceTarball: string;
  conformanceDeps: Awaited<ReturnType<typeof stageConformance>>;
}

/** Stages and packs the plugin-author kit (plugin-api compiled, conformance bundled) into `destination`. */
async function packKit(
  workspace: Workspace,
  stage: (name: string) => string,
  destination: string,
  progress: (line: string) => void,
): Promise<StagedKit> {
  progress('@pgshift/plugin-api: compiling (tsc)');
  const api = stagePluginApi(workspace, stage('plugin-api'));
  const apiTarball = npmPack(api, destination);
  progress('@pgshift/conformance: bundling (esbuild), type declarations (tsc)');
  const conformance = stage('conformance');
  const conformanceDeps = await stageConformance(workspace, conformance);
  const conformanceTarball = npmPack(conformance, destination);
  return { api, apiTarball, conformance, conformanceTarball, conformanceDeps };
}

/** Runs `work` with a temporary staging area, removed at the end. */
async function withStaging<T>(work: (stage: (name: string) => string) => Promise<T>): Promise<T> {
  const temp = mkdtempSync(join(tmpdir(), 'pgshift-pack-'));
  try {
    return await work((name) => {
      const dir = join(temp, name);
      mkdirSync(dir);
      return dir;
    });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** Builds the two kit tarballs alone (what create-plugin needs in a checkout); returns their paths. */
export function buildKitTarballs(
  workspace: Workspace,
  destination: string,
  progress: (line: string) => void,
): Promise<string[]> {
  return withStaging(async (stage) => {
    const kit = await packKit(workspace, stage, destination, progress);
    return [kit.apiTarball, kit.conformanceTarball];
  });
}

/**
 * Builds the three tarballs from a checkout into `destination` and returns their paths, the CLI's
 * first. The kit is packed first: the CLI carries both its packages and its tarballs.
 */
export async function buildTarballs(
  workspace: Workspace,
  destination: string,
  progress: (line: string) => void,
): Promise<string[]> {
  const started = performance.now();
  return withStaging(async (stage) => {
    const kit = await packKit(workspace, stage, destination, progress);
    progress(
      `@pgshift/cli: bundling the CLI and ${workspace.firstPartyPlugins().length} first-party plugins (esbuild)`,
    );
    const cli = stage('cli');
    await stageCli(workspace, cli, {
      packages: { '@pgshift/plugin-api': kit.api, '@pgshift/conformance': kit.conformance },
      tarballs: [kit.apiTarball, kit.conformanceTarball],
      dependencies: { '@pgshift/conformance': kit.conformanceDeps },
    });
    const cliTarball = npmPack(cli, destination);
    progress(`packed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return [cliTarball, kit.apiTarball, kit.conformanceTarball];
  });
}
