import {
  Capability,
  type CapabilityFlag,
  CONNECTOR,
  type DecoderChoice,
  INVENTORY,
  PgshiftError,
  type PluginDefinition,
  type ServerRole,
  type Token,
} from '@pgshift/plugin-api';
import type { TaskConfig } from '../config/task-config.js';

/** A plugin lacks a capability flag that what the task asks of it needs. */
export class CapabilityError extends PgshiftError {
  constructor(plugin: PluginDefinition, flag: CapabilityFlag, needs: string) {
    super(
      'PGSHIFT_CAPABILITY_MISSING',
      `plugin ${plugin.meta.name} does not declare ${flag}, which ${needs} needs`,
      {
        remedy: `use a ${plugin.meta.kind} plugin that declares ${flag}, or change the config so ${needs} is not asked for`,
        details: { plugin: plugin.meta.name, capability: flag },
      },
    );
  }
}

/** What the rules read of a loaded task: its config and its plugins. */
export interface CapabilitySubject {
  config: Pick<TaskConfig, 'mode' | 'source' | 'target'>;
  plugins: readonly { definition: PluginDefinition; own<T>(token: Token<T>): T[] }[];
}

/** The task's loader or replicator plugin: the first of that kind, as the task picks it. */
function pluginOf(task: CapabilitySubject, kind: 'loader' | 'replicator'): PluginDefinition | undefined {
  return task.plugins.find((p) => p.definition.meta.kind === kind)?.definition;
}

/** The inventory plugin a block's `inventory.use` names (its providers answer to the plugin's name). */
function inventoryPlugin(task: CapabilitySubject, use: unknown): PluginDefinition | undefined {
  const inventories = task.plugins.filter((p) => p.definition.meta.kind === 'inventory');
  return (
    inventories.find((p) => p.definition.meta.name === use) ??
    inventories.find((p) => p.own(INVENTORY).some((provider) => provider.name === use))
  )?.definition;
}

function requireFlag(plugin: PluginDefinition | undefined, flag: CapabilityFlag, needs: string): void {
  if (plugin && !plugin.capabilities.includes(flag)) throw new CapabilityError(plugin, flag, needs);
}

/** The connector plugin `access` of that side selects (the kernel reports a missing one elsewhere). */
function connectorPlugin(task: CapabilitySubject, role: ServerRole): PluginDefinition | undefined {
  const access = task.config[role].access;
  const connectors = task.plugins.filter((p) => p.definition.meta.kind === 'connector');
  const found =
    connectors.find((p) => p.own(CONNECTOR).some((c) => c.access === access)) ??
    connectors.find((p) => p.definition.meta.name === access);
  return found?.definition;
}

/**
 * Refuses, before anything connects, a task that asks a plugin for what its capability flags rule
 * out: following through a source connector without walsender connections, a `tls`, `via.ssh` or
 * `inventory` block for a connector that does not take it, an inventory that does not declare
 * it resolves, or a copy by a loader that does not
 * declare the steps the mode runs.
 */
export function requireDeclaredCapabilities(task: CapabilitySubject): void {
  const { config } = task;
  for (const role of ['source', 'target'] as const) {
    const plugin = connectorPlugin(task, role);
    const block = config[role];
    if (block.tls !== undefined) requireFlag(plugin, Capability.connector.tls, `${role}.tls`);
    if ((block.via as { ssh?: unknown } | undefined)?.ssh !== undefined)
      requireFlag(plugin, Capability.connector.sshTunnel, `${role}.via.ssh`);
    if (block.inventory !== undefined) {
      requireFlag(plugin, Capability.connector.inventory, `${role}.inventory`);
      const use = (block.inventory as { use?: unknown }).use;
      requireFlag(inventoryPlugin(task, use), Capability.inventory.resolve, `${role}.inventory.use`);
    }
  }
  if (config.mode === 'full+incremental')
    requireFlag(connectorPlugin(task, 'source'), Capability.connector.replication, 'mode full+incremental');
  const loader = pluginOf(task, 'loader');
  requireFlag(loader, Capability.loader.schema, `mode ${config.mode}`);
  if (config.mode !== 'schema') requireFlag(loader, Capability.loader.data, `mode ${config.mode}`);
}

/** Refuses following with a decoder whose format the task's replicator does not declare it reads. */
export function requireDecoderCapability(task: CapabilitySubject, decoder: DecoderChoice | undefined): void {
  if (!decoder) return;
  const replicator = pluginOf(task, 'replicator');
  const flag = `replicator.${decoder.format}` as const satisfies CapabilityFlag;
  requireFlag(replicator, flag, `following through ${decoder.outputPlugin} (format ${decoder.format})`);
}

/**
 * How many copy workers the loader gets: `options.jobs`, or one for a loader that does not
 * declare `loader.parallel` (jobs has a default, so a plain loader is run serially, not refused).
 */
export function loaderJobs(task: CapabilitySubject, jobs: number): number {
  const loader = pluginOf(task, 'loader');
  return loader && !loader.capabilities.includes(Capability.loader.parallel) ? 1 : jobs;
}

/** Where a resumed run picks up: a copy begun but not finished, or following. */
export type ResumePoint = 'copy' | 'following';

/**
 * Refuses to resume with a plugin that does not declare it can: a copy a loader without
 * `loader.resume` began, or following by a replicator without `replicator.resume`.
 */
export function requireResumeCapability(task: CapabilitySubject, point: ResumePoint): void {
  if (point === 'copy')
    requireFlag(pluginOf(task, 'loader'), Capability.loader.resume, 'resuming an interrupted copy');
  else requireFlag(pluginOf(task, 'replicator'), Capability.replicator.resume, 'resuming following');
}

/**
 * Whether a checker plugin's checks run in this mode: one that declares `checker.incremental`
 * matters only when following, whatever its checkers' appliesTo says.
 */
export function checkerRunsIn(plugin: PluginDefinition | undefined, mode: TaskConfig['mode']): boolean {
  return mode === 'full+incremental' || !plugin?.capabilities.includes(Capability.checker.incremental);
}
