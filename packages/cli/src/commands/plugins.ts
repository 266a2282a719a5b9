import { conformanceText, listPlugins, type PluginRow, pluginRow, sortPluginRows } from '@pgshift/kernel';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { loadForCommand } from '../load.js';
import { table } from '../table.js';

/** `pgshift plugins`: every plugin available here, or those a config loads. */
export const pluginsCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('plugins')
        .description('list the available plugins (name, kind, version, capabilities, source)')
        .option('-c, --config <file>', 'list the plugins this task config loads instead')
        .option('--json', 'print JSON')
        .action(
          run(async (ctx, globals, opts: { config?: string; json?: boolean }) => {
            let rows: PluginRow[];
            if (opts.config) {
              const task = await loadForCommand(ctx, globals, opts.config);
              rows = sortPluginRows(task.plugins.map((p) => pluginRow(p.definition, p.source)));
              await task.close();
            } else rows = await listPlugins(process.cwd());
            if (opts.json) ctx.print(JSON.stringify(rows, null, 2));
            else if (rows.length === 0) ctx.print('no plugins found');
            else
              ctx.print(
                table(
                  ['NAME', 'KIND', 'VERSION', 'CAPABILITIES', 'CONFORMANCE', 'SOURCE'],
                  rows.map((r) => [
                    r.name,
                    r.kind,
                    r.version,
                    r.capabilities.join(',') || '-',
                    r.conformance ? conformanceText(r.conformance) : '-',
                    r.error ? `${r.source} (not loadable: ${r.error})` : r.source,
                  ]),
                ),
              );
            return 0;
          }),
        ),
    );
  },
};
