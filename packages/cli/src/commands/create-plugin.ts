import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PgshiftError } from '@pgshift/plugin-api';
import { Command, Option } from 'commander';
import type { CliCommand } from '../command.js';
import { authorKitVersion, writeAuthorKit } from '../pack/author-kit.js';
import { PLUGIN_KINDS, type PluginKind } from '../scaffold/kinds.js';
import {
  checkScaffoldTarget,
  KIT_DIR,
  pluginNameOf,
  ScaffoldError,
  writeScaffold,
} from '../scaffold/write-scaffold.js';

interface CreatePluginOptions {
  kind: PluginKind;
  published?: boolean;
}

/** `pgshift create-plugin --kind KIND NAME [DIR]`: a new plugin package with its conformance test. */
export const createPluginCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('create-plugin')
        .description(
          'scaffold a plugin package (source, conformance test, README, and the author kit it installs from)',
        )
        .addOption(
          new Option('--kind <kind>', 'plugin kind').choices([...PLUGIN_KINDS]).makeOptionMandatory(),
        )
        .argument('<name>', 'package name, e.g. @acme/pgshift-check-connections')
        .argument('[dir]', 'directory to create (default: ./<name without scope>)')
        .option(
          '--published',
          `depend on published @pgshift versions instead of writing the kit tarballs into ${KIT_DIR}/`,
        )
        .action(
          run(async (ctx, _globals, name: string, dir: string | undefined, opts: CreatePluginOptions) => {
            let target: string;
            try {
              target = checkScaffoldTarget(name, dir ?? pluginNameOf(name));
            } catch (error) {
              throw scaffoldError(error);
            }
            const existed = existsSync(target);
            let files: string[];
            try {
              mkdirSync(target, { recursive: true });
              // The kit first: it is what lets the scaffold install with no registry for @pgshift.
              const kit = opts.published
                ? undefined
                : await writeAuthorKit(join(target, KIT_DIR), (line) => ctx.warn(line));
              files = writeScaffold({
                kind: opts.kind,
                name,
                dir: target,
                kitVersion: kit?.version ?? authorKitVersion(),
                ...(kit ? { kit } : {}),
              });
              files.push(...(kit?.files ?? []));
            } catch (error) {
              // Nothing half-written is left: the directory goes back to how it was.
              if (existed) rmSync(join(target, KIT_DIR), { recursive: true, force: true });
              else rmSync(target, { recursive: true, force: true });
              throw scaffoldError(error);
            }
            ctx.print(
              [
                `created a ${opts.kind} plugin in ${target}:`,
                ...files.map((f) => `  ${f}`),
                '',
                'next:',
                `  cd ${target}`,
                '  npm install && npm test       # the conformance suite on real PostgreSQL servers',
                '  pgshift conformance .          # the same, as a report (works before the install too)',
              ].join('\n'),
            );
            return 0;
          }),
        ),
    );
  },
};

function scaffoldError(error: unknown): unknown {
  if (!(error instanceof ScaffoldError)) return error;
  return new PgshiftError('PGSHIFT_SCAFFOLD', error.message, {
    remedy: 'pgshift create-plugin --kind checker @acme/pgshift-check-x ./pgshift-check-x',
  });
}
