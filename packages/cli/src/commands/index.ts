import type { CliCommand } from '../command.js';
import { checkCommand } from './check.js';
import { configCommand } from './config-validate.js';
import { conformanceCommand } from './conformance.js';
import { createPluginCommand } from './create-plugin.js';
import { demoCommand } from './demo.js';
import { explainCommand } from './explain.js';
import { cancelCommand, finishCommand } from './finish-cancel.js';
import { packCommand } from './pack.js';
import { pluginsCommand } from './plugins.js';
import { runCommand } from './run.js';
import { setCommand } from './set-limits.js';
import { statusCommand } from './status.js';
import { taskCommand } from './task.js';
import { verifyCommand } from './verify.js';
import { workerCommand } from './worker.js';

/** Every command of the CLI, in help order. To add one: write src/commands/<name>.ts, list it here. */
export const commands: CliCommand[] = [
  configCommand,
  checkCommand,
  runCommand,
  demoCommand,
  statusCommand,
  finishCommand,
  cancelCommand,
  setCommand,
  verifyCommand,
  explainCommand,
  pluginsCommand,
  taskCommand,
  workerCommand,
  conformanceCommand,
  createPluginCommand,
  packCommand,
];
