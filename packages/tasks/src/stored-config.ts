import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { TaskRecord } from './task-record.js';

/** Reads a config file for a new task record. */
export function readConfigForRecord(configPath: string): TaskRecord['config'] {
  const path = resolve(configPath);
  const ext = extname(path) || '.yaml';
  return { path, fileName: `config${ext}`, text: readFileSync(path, 'utf8') };
}

/**
 * Where to load a stored task's config from: the original file when it still holds the same
 * text (its relative plugin and secret paths then resolve as written), else the stored copy
 * written into `scratchDir`.
 */
export function configFileFor(record: TaskRecord, scratchDir: string): string {
  const { path, fileName, text } = record.config;
  if (existsSync(path)) {
    try {
      if (readFileSync(path, 'utf8') === text) return path;
    } catch {
      // unreadable here: use the copy
    }
  }
  mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
  const copy = join(scratchDir, basename(fileName));
  writeFileSync(copy, text, { mode: 0o600 });
  return copy;
}
