import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { ConfigError } from '@pgshift/plugin-api';
import { parseDocument } from 'yaml';
import { importModule } from '../plugins/import-module.js';

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

/** Reads a config file into a plain value: YAML, JSON, or a TS/JS module's default export. */
export async function readConfigFile(configPath: string): Promise<unknown> {
  const file = resolve(configPath);
  const ext = extname(file).toLowerCase();
  if (MODULE_EXTENSIONS.has(ext)) return importConfigModule(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [
        {
          path: '',
          message:
            code === 'ENOENT'
              ? `config file ${file} does not exist`
              : `cannot read config file ${file} (${code})`,
        },
      ],
      { remedy: 'pass the path of an existing config file with -c FILE' },
    );
  }
  if (ext === '.json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ConfigError([
        { path: '', message: `${file} is not valid JSON: ${(error as Error).message}` },
      ]);
    }
  }
  // YAML is a superset of JSON, so any other extension is read as YAML.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        const where = at ? ` at line ${at.line}, column ${at.col}` : '';
        return { path: '', message: `${file} is not valid YAML${where}: ${e.message.split('\n')[0]}` };
      }),
      {
        remedy:
          'fix the line named (indent with spaces, not tabs; quote values that hold ": " or start with a special character such as { [ * & ! | > % @), then run pgshift config validate -c FILE',
      },
    );
  }
  return doc.toJS();
}

async function importConfigModule(file: string): Promise<unknown> {
  let mod: { default?: unknown };
  try {
    mod = (await importModule(file)) as { default?: unknown };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const message =
      err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(file)
        ? `config file ${file} does not exist`
        : `config module ${file} failed to load: ${err.message?.split('\n')[0] ?? String(error)}`;
    throw new ConfigError([{ path: '', message }], { cause: error });
  }
  let value = mod.default;
  // A module compiled to CommonJS may nest its default export once more.
  if (value && typeof value === 'object' && 'default' in value && Object.keys(value).length === 1)
    value = (value as { default: unknown }).default;
  if (typeof value === 'function') value = await (value as () => unknown)();
  if (value === undefined)
    throw new ConfigError([{ path: '', message: `config module ${file} has no default export` }], {
      remedy: 'export the config object (or a function returning it) as the default export',
    });
  return value;
}
