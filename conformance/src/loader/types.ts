import type { PluginDefinition, Token } from '@pgshift/plugin-api';
import { instantiateForSuite } from '../host.js';

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

/**
 * A fresh instance of the plugin under test (a new one per call, as a new process would make),
 * resolved for `token`, with the options it was given merged over its defaults.
 */
export async function freshInstance<T>(factory: PluginFactory, token: Token<T>): Promise<{ value: T }> {
  const subject = await subjectOf(factory);
  const instance = await instantiateForSuite(subject.plugin, subject.options ?? {});
  return { value: instance.resolver.resolve(token) };
}
