import { findSecretFields, Redactor, type SecretField } from '@pgshift/kernel';
import type { InstalledPlugins } from './installed-plugins.js';

type Bag = Record<string, unknown>;
const isBag = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The secret fields of a whole config: those the schemas of its connectors and first-party
 * plugins mark, and anywhere those named like a secret (the kernel's rule, applied without a
 * schema, catches third-party plugins' `password`/`token` fields too).
 */
export function configSecretFields(config: unknown, plugins: InstalledPlugins): SecretField[] {
  const found = findSecretFields(config, undefined, '');
  if (isBag(config)) {
    for (const side of ['source', 'target']) {
      const block = config[side];
      if (!isBag(block) || typeof block.access !== 'string') continue;
      found.push(...findSecretFields(block, plugins.byName(block.access)?.configSchema, side));
    }
    const list = Array.isArray(config.plugins) ? config.plugins : [];
    list.forEach((entry, i) => {
      if (!isBag(entry) || typeof entry.use !== 'string' || !isBag(entry.options)) return;
      const schema = plugins.byName(entry.use)?.configSchema;
      found.push(...findSecretFields(entry.options, schema, `plugins[${i}].options`));
    });
  }
  const seen = new Set<string>();
  return found.filter((f) => !seen.has(f.path) && seen.add(f.path));
}

/** A secret given by reference (`{ env }`, `{ file }`) names where it is, not what it is. */
export function isReference(value: unknown): boolean {
  if (!isBag(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (typeof value.env === 'string' || typeof value.file === 'string');
}

/** A redactor for the secrets written inline in a config: what no response may contain. */
export function inlineSecretsRedactor(
  config: unknown,
  plugins: InstalledPlugins,
  extra: readonly string[] = [],
) {
  const redactor = new Redactor();
  for (const field of configSecretFields(config, plugins)) {
    const value = field.holder[field.key];
    if (!isReference(value) && value !== undefined && value !== null) redactor.add(String(value));
  }
  for (const value of extra) redactor.add(value);
  return redactor;
}
