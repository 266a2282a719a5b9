import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgshiftHome } from '../pgshift-home.js';

/** What a plugin listing shows of its last conformance run. */
export interface ConformanceStatus {
  ok: boolean;
  /** When the run ended. */
  at: string;
  summary: { passed: number; failed: number; skipped: number };
}

/** The part of a conformance report (the runner's ConformanceReport) kept here. */
type Report = Omit<ConformanceStatus, 'at'> & Record<string, unknown>;

/** `$PGSHIFT_HOME/conformance/<plugin name>.json`: one report per plugin, the latest. */
export function conformanceReportPath(pluginName: string, env: NodeJS.ProcessEnv = process.env): string {
  // A name is a word in practice; anything else must not climb out of the folder.
  const file = pluginName.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return join(pgshiftHome(env), 'conformance', `${file}.json`);
}

/** A saved report in a word and a date, as `pgshift plugins` and the console show it. */
export function conformanceText(status: ConformanceStatus): string {
  return `${status.ok ? 'pass' : 'FAIL'} ${status.at.slice(0, 10)}`;
}

/** Keeps a plugin's latest conformance report, for `pgshift plugins` and the console. */
export function saveConformanceReport(pluginName: string, report: Report, at = new Date()): string {
  const path = conformanceReportPath(pluginName);
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify({ ...report, at: at.toISOString() }, null, 2)}\n`);
  return path;
}

/** The status of a plugin's saved report; undefined when there is none or it cannot be read. */
export function conformanceStatus(pluginName: string): ConformanceStatus | undefined {
  const path = conformanceReportPath(pluginName);
  if (!existsSync(path)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Partial<ConformanceStatus>;
    if (typeof saved.ok !== 'boolean' || typeof saved.at !== 'string' || !saved.summary) return undefined;
    const { passed, failed, skipped } = saved.summary;
    return { ok: saved.ok, at: saved.at, summary: { passed, failed, skipped } };
  } catch {
    return undefined;
  }
}
