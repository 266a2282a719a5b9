import { ERROR_CODES, explainCode } from '@pgshift/kernel';
import { PgshiftError } from '@pgshift/plugin-api';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';

/** `pgshift explain CODE`: what an error code means, what to do, and where the docs say more. */
export const explainCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('explain')
        .description(
          'explain an error code (error[CODE] in a message): what happened, what to do, where to read more',
        )
        .argument('<code>', 'the code, e.g. PGSHIFT_SNAPSHOT_LOST or snapshot_lost')
        .action(
          run(async (ctx, _globals, code: string) => {
            const found = explainCode(code);
            if (!found)
              throw new PgshiftError('PGSHIFT_USAGE', `no error code ${code}`, {
                remedy: `the codes are: ${Object.keys(ERROR_CODES).join(', ')}`,
              });
            ctx.print(
              [
                found.code,
                `  what:   ${found.entry.what}`,
                `  remedy: ${found.entry.remedy}`,
                `  docs:   docs/${found.entry.docs}`,
              ].join('\n'),
            );
            return 0;
          }),
        ),
    );
  },
};
