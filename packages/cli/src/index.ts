export type { Action, ActionRunner, CliCommand } from './command.js';
export { render as renderCheckReport } from './commands/check.js';
export { allCommands, COMMANDS, type CommandEntry, commandsFor } from './commands/index.js';
export { type CliContext, createContext, type GlobalOptions } from './context.js';
export { handleError } from './handle-error.js';
export { loadForCommand } from './load.js';
export { createProgram, runCli } from './program.js';
export { table } from './table.js';
