import { Command, CommanderError, Option } from 'commander';
import { cliVersion } from './cli-package.js';
import type { Action, ActionRunner, CliCommand } from './command.js';
import { commandsFor } from './commands/index.js';
import { type CliContext, createContext, type GlobalOptions } from './context.js';

/** The shared error handler, imported when an error comes: it needs the kernel's error catalogue. */
async function handleError(error: unknown, ctx: CliContext, verbose: boolean): Promise<number> {
  return (await import('./handle-error.js')).handleError(error, ctx, verbose);
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * Builds the `pgshift` program with `commands` (see `commandsFor`); `exit` receives the exit code
 * of the command that ran.
 */
export function createProgram(
  ctx: CliContext,
  exit: (code: number) => void,
  commands: readonly CliCommand[],
): Command {
  const program = new Command('pgshift')
    .description('move a PostgreSQL database to another server while the source stays in use')
    .version(cliVersion(), '-V, --version', 'print the version of pgshift')
    .option('-v, --verbose', 'more log output, and stack traces with errors')
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS))
    .showHelpAfterError()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .exitOverride();

  const run: ActionRunner =
    (action) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const globals = command.optsWithGlobals() as GlobalOptions;
      const positional = args.slice(0, -1);
      try {
        exit((await (action as Action<unknown[]>)(ctx, globals, ...positional)) ?? 0);
      } catch (error) {
        exit(await handleError(error, ctx, globals.verbose === true));
      }
    };
  for (const command of commands) command.register(program, run);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext = createContext()): Promise<number> {
  let code = 0;
  const program = createProgram(
    ctx,
    (c) => {
      code = c;
    },
    await commandsFor(argv),
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not failures; usage mistakes exit 2 like config mistakes.
      return error.exitCode === 0 ? 0 : 2;
    }
    return handleError(error, ctx, argv.includes('--verbose') || argv.includes('-v'));
  }
  return code;
}
