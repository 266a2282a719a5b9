import { resolve } from 'node:path';
import { PgshiftError } from '@pgshift/plugin-api';
import { Command, Option } from 'commander';
import type { CliCommand } from '../command.js';
import { PLUGIN_KINDS, type PluginKind } from '../scaffold/kinds.js';
import { pluginNameOf, ScaffoldError, writeScaffold } from '../scaffold/write-scaffold.js';

/** `pgshift create-plugin --kind KIND NAME [DIR]`: a new plugin package with its conformance test. */
export const createPluginCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('create-plugin')
        .description('scaffold a plugin package (source, conformance test, README) in a new directory')
        .addOption(
          new Option('--kind <kind>', 'plugin kind').choices([...PLUGIN_KINDS]).makeOptionMandatory(),
        )
        .argument('<name>', 'package name, e.g. @acme/pgshift-check-connections')
        .argument('[dir]', 'directory to create (default: ./<name without scope>)')
        .option('--link-workspace <repo>', 'depend on the packages of this pgshift checkout by link: path')
        .action(
          run(
            async (
              ctx,
              _globals,
              name: string,
              dir: string | undefined,
              opts: { kind: PluginKind; linkWorkspace?: string },
            ) => {
              const target = resolve(dir ?? pluginNameOf(name));
              let files: string[];
              try {
                files = writeScaffold({
                  kind: opts.kind,
                  name,
                  dir: target,
                  ...(opts.linkWorkspace ? { linkWorkspace: resolve(opts.linkWorkspace) } : {}),
                });
              } catch (error) {
                if (error instanceof ScaffoldError)
                  throw new PgshiftError('PGSHIFT_SCAFFOLD', error.message, {
                    remedy: 'pgshift create-plugin --kind checker @acme/pgshift-check-x ./pgshift-check-x',
                  });
                throw error;
              }
              ctx.print(
                [
                  `created a ${opts.kind} plugin in ${target}:`,
                  ...files.map((f) => `  ${f}`),
                  '',
                  'next:',
                  `  cd ${target}`,
                  '  pnpm install && pnpm test      # the conformance suite on real PostgreSQL servers',
                ].join('\n'),
              );
              return 0;
            },
          ),
        ),
    );
  },
};
