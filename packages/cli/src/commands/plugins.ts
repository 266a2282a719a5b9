import { PluginCatalog } from '@pgshift/kernel';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { loadForCommand } from '../load.js';
import { table } from '../table.js';

interface PluginRow {
  name: string;
  kind: string;
  version: string;
  apiVersion: string;
  capabilities: string[];
  source: string;
  description?: string;
  error?: string;
}

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
            const rows: PluginRow[] = [];
            if (opts.config) {
              const task = await loadForCommand(ctx, globals, opts.config);
              for (const p of task.plugins) rows.push(row(p.definition, p.source));
              await task.close();
            } else {
              for (const found of await new PluginCatalog(process.cwd()).firstParty()) {
                if ('error' in found)
                  rows.push({
                    name: found.package.name ?? found.package.packageName,
                    kind: '?',
                    version: '?',
                    apiVersion: '?',
                    capabilities: [],
                    source: found.package.packageName,
                    error: (found.error as Error)?.message?.split('\n')[0] ?? String(found.error),
                  });
                else rows.push(row(found.definition, found.source));
              }
            }
            rows.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
            if (opts.json) ctx.print(JSON.stringify(rows, null, 2));
            else if (rows.length === 0) ctx.print('no plugins found');
            else
              ctx.print(
                table(
                  ['NAME', 'KIND', 'VERSION', 'CAPABILITIES', 'SOURCE'],
                  rows.map((r) => [
                    r.name,
                    r.kind,
                    r.version,
                    r.capabilities.join(',') || '-',
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

function row(
  definition: {
    meta: { name: string; kind: string; version: string; apiVersion: string; description?: string };
    capabilities: readonly string[];
  },
  source: string,
): PluginRow {
  const { meta } = definition;
  return {
    name: meta.name,
    kind: meta.kind,
    version: meta.version,
    apiVersion: meta.apiVersion,
    capabilities: [...definition.capabilities],
    source,
    ...(meta.description ? { description: meta.description } : {}),
  };
}
