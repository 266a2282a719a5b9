import type { CliCommand } from '../command.js';
import { checkCommand } from './check.js';
import { configCommand } from './config-validate.js';
import { pluginsCommand } from './plugins.js';

/** Every command of the CLI, in help order. To add one: write src/commands/<name>.ts, list it here. */
export const commands: CliCommand[] = [configCommand, checkCommand, pluginsCommand];
