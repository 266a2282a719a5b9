import { ConfigError } from '@pgshift/plugin-api';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { loadForCommand } from '../load.js';

/** `pgshift config validate -c FILE`: exit 0 when valid, 2 with every problem on its own line. */
export const configCommand: CliCommand = {
  register(program, run) {
    const config = new Command('config').description('work with task config files');
    config.addCommand(
      new Command('validate')
        .description('check a task config file and the plugins it names; every problem is reported at once')
        .requiredOption('-c, --config <file>', 'task config file (YAML, JSON or pgshift.config.ts)')
        .option('--json', 'print JSON')
        .action(
          run(async (ctx, globals, opts: { config: string; json?: boolean }) => {
            let task: Awaited<ReturnType<typeof loadForCommand>>;
            try {
              task = await loadForCommand(ctx, globals, opts.config);
            } catch (error) {
              if (!opts.json || !(error instanceof ConfigError)) throw error;
              ctx.print(
                JSON.stringify({ valid: false, file: opts.config, problems: error.problems }, null, 2),
              );
              return 2;
            }
            try {
              const { config: c } = task;
              if (opts.json) {
                ctx.print(
                  JSON.stringify(
                    {
                      valid: true,
                      file: task.configPath,
                      task: c.task,
                      mode: c.mode,
                      source: { access: c.source.access },
                      target: { access: c.target.access },
                      plugins: task.plugins.map((p) => ({
                        name: p.definition.meta.name,
                        kind: p.definition.meta.kind,
                        version: p.definition.meta.version,
                        source: p.source,
                      })),
                    },
                    null,
                    2,
                  ),
                );
              } else {
                ctx.print(
                  `${task.configPath} is valid: task ${c.task.name}, mode ${c.mode}, source via ${c.source.access}, target via ${c.target.access}, ${task.plugins.length} plugins`,
                );
              }
              return 0;
            } finally {
              await task.close();
            }
          }),
        ),
    );
    program.addCommand(config);
  },
};
