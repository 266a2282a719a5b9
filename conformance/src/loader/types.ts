import type { PluginDefinition } from '@pgshift/plugin-api';

/** The plugin under test and the options a config's `plugins` entry would give it. */
export interface PluginSubject {
  plugin: PluginDefinition;
  options?: Record<string, unknown>;
}

/** A plugin definition, a subject, or a function returning either (called once per instance). */
export type PluginFactory =
  | PluginDefinition
  | PluginSubject
  | (() => PluginDefinition | PluginSubject | Promise<PluginDefinition | PluginSubject>);

export async function subjectOf(factory: PluginFactory): Promise<PluginSubject> {
  const value = typeof factory === 'function' ? await factory() : factory;
  return 'register' in value && 'meta' in value ? { plugin: value } : (value as PluginSubject);
}
