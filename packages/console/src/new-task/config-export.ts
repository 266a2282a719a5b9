import { parseDocument } from 'yaml';
import { configSecretFields, inlineSecretsRedactor, isReference } from './config-secrets.js';
import type { InstalledPlugins } from './installed-plugins.js';

/** `source.via.ssh.privateKey` → `PGSHIFT_SOURCE_VIA_SSH_PRIVATE_KEY`. */
export function secretEnvName(path: string): string {
  const words = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
  return `PGSHIFT_${words
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toUpperCase()}`;
}

/** `plugins[0].options.token` → ['plugins', 0, 'options', 'token']. */
function pathKeys(path: string): (string | number)[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * The config text with every secret written inline replaced by `{ env: PGSHIFT_... }` and a
 * comment saying it was not exported; references (`{ env }`, `{ file }`) stay as written. Any
 * other occurrence of a secret's text (a comment, a URL) is masked as well.
 */
export function exportConfig(text: string, plugins: InstalledPlugins): string {
  const doc = parseDocument(text);
  const config: unknown = doc.toJS();
  const redactor = inlineSecretsRedactor(config, plugins);
  for (const field of configSecretFields(config, plugins)) {
    if (isReference(field.holder[field.key])) continue;
    const env = secretEnvName(field.path);
    const node = doc.createNode({ env }, { flow: true });
    node.comment = ` secret not exported: set ${env}, or write the value here`;
    doc.setIn(pathKeys(field.path), node);
  }
  return redactor.redact(doc.toString());
}
