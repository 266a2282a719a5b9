import type { CliCommand } from '../command.js';

/** A command by the name it is typed with, and the module that declares and runs it. */
export interface CommandEntry {
  name: string;
  load(): Promise<CliCommand>;
}

/**
 * Every command of the CLI, in help order. To add one: write src/commands/<name>.ts, list it here.
 * Each is imported only when the program needs it: a command's module imports what it runs (the
 * kernel, pg, the sandbox...), and `pgshift --version` or `pgshift explain` should not pay for
 * the rest.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'config', load: async () => (await import('./config-validate.js')).configCommand },
  { name: 'check', load: async () => (await import('./check.js')).checkCommand },
  { name: 'run', load: async () => (await import('./run.js')).runCommand },
  { name: 'demo', load: async () => (await import('./demo.js')).demoCommand },
  { name: 'status', load: async () => (await import('./status.js')).statusCommand },
  { name: 'finish', load: async () => (await import('./finish-cancel.js')).finishCommand },
  { name: 'cancel', load: async () => (await import('./finish-cancel.js')).cancelCommand },
  { name: 'set', load: async () => (await import('./set-limits.js')).setCommand },
  { name: 'verify', load: async () => (await import('./verify.js')).verifyCommand },
  { name: 'explain', load: async () => (await import('./explain.js')).explainCommand },
  { name: 'plugins', load: async () => (await import('./plugins.js')).pluginsCommand },
  { name: 'task', load: async () => (await import('./task.js')).taskCommand },
  { name: 'worker', load: async () => (await import('./worker.js')).workerCommand },
  { name: 'console', load: async () => (await import('./console.js')).consoleCommand },
  { name: 'conformance', load: async () => (await import('./conformance.js')).conformanceCommand },
  { name: 'create-plugin', load: async () => (await import('./create-plugin.js')).createPluginCommand },
  { name: 'pack', load: async () => (await import('./pack.js')).packCommand },
];

/** Global options that take a value: the word after them is not a command name. */
const VALUED_GLOBALS = new Set(['--log-level']);

/** The command word of `argv` (its first word that is not a global option or its value). */
function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return argv[i + 1];
    if (VALUED_GLOBALS.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/**
 * The commands the program must declare to handle `argv`: the one it names; none for a bare
 * `--version`; every one for help, a mistyped name (commander suggests the nearest) and the rest.
 */
export async function commandsFor(argv: readonly string[]): Promise<CliCommand[]> {
  const word = commandWord(argv);
  const named = COMMANDS.filter((c) => c.name === word);
  if (named.length > 0) return Promise.all(named.map((c) => c.load()));
  if (word === undefined && argv.some((a) => a === '--version' || a === '-V')) return [];
  return allCommands();
}

/** Every command, loaded (help order). */
export function allCommands(): Promise<CliCommand[]> {
  return Promise.all(COMMANDS.map((c) => c.load()));
}
