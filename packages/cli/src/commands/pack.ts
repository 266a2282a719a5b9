import { resolve } from 'node:path';
import { Command } from 'commander';
import { cliPackageRoot } from '../cli-package.js';
import type { CliCommand } from '../command.js';
import { buildTarballs } from '../pack/build-tarballs.js';
import { prepareDestination } from '../pack/destination.js';
import { copyKit, installedKit } from '../pack/installed-kit.js';
import { PackError } from '../pack/pack-error.js';
import { Workspace } from '../pack/workspace.js';

const HELP = `
In a pgshift checkout, builds three tarballs from the source:
  pgshift-cli-<version>.tgz          the CLI: npm install -g ./pgshift-cli-<version>.tgz
  pgshift-plugin-api-<version>.tgz   @pgshift/plugin-api, for plugin authors
  pgshift-conformance-<version>.tgz  @pgshift/conformance, for plugin authors
From an installed pgshift, writes the two plugin-author tarballs, copied from the installation.
None of them needs a registry for @pgshift packages; progress goes to stderr, the paths to stdout.`;

/** `pgshift pack [DIR]`: installable tarballs of the CLI and the plugin-author kit. */
export const packCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('pack')
        .description('write installable tarballs: the CLI (from a checkout) and the plugin-author kit')
        .argument('[dir]', 'directory to write them to (created when missing)', '.')
        .addHelpText('after', HELP)
        .action(
          run(async (ctx, _globals, dir: string) => {
            const destination = prepareDestination(resolve(dir));
            let tarballs: string[];
            const kit = installedKit();
            if (kit) {
              if (kit.length === 0)
                throw new PackError(
                  `this installation of pgshift (${cliPackageRoot()}) carries no kit tarballs`,
                  'reinstall pgshift from its tarball',
                );
              ctx.warn('installed pgshift: copying the plugin-author kit it was installed with');
              tarballs = copyKit(kit, destination);
            } else {
              const workspace = Workspace.find(cliPackageRoot());
              if (!workspace)
                throw new PackError(
                  `pgshift at ${cliPackageRoot()} is neither a checkout nor a packed installation`,
                  'run pgshift pack in a pgshift checkout (pnpm pgshift pack DIR)',
                );
              tarballs = await buildTarballs(workspace, destination, (line) => ctx.warn(line));
            }
            for (const tarball of tarballs) ctx.print(tarball);
            return 0;
          }),
        ),
    );
  },
};
