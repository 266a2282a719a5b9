import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type FoundPlugin,
  PluginCatalog,
  packageDirOf,
  prepareForeignImports,
  saveConformanceReport,
} from '@pgshift/kernel';
import { PgshiftError } from '@pgshift/plugin-api';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';

interface Report {
  plugin: string;
  majors: number[];
  ok: boolean;
  summary: { passed: number; failed: number; skipped: number };
  tests: Array<{ name: string; outcome: 'passed' | 'failed' | 'skipped'; reason?: string }>;
  errors: string[];
}

const WORDS = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP' } as const;

/** `pgshift conformance PLUGIN [--pg 10,17] [--json FILE]`: the plugin's conformance suite on sandbox servers. */
export const conformanceCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('conformance')
        .description(
          'run the conformance suite of a plugin (package name, first-party name or path) on sandbox servers',
        )
        .argument('<plugin>', 'package name, first-party plugin name, or path to the plugin package')
        .option('--pg <majors>', 'PostgreSQL majors to run on, comma-separated', '17')
        .option('--json <file>', 'also write the report as JSON to this file')
        .action(
          run(async (ctx, _globals, plugin: string, opts: { pg: string; json?: string }) => {
            const majors = opts.pg.split(',').map((s) => Number.parseInt(s.trim(), 10));
            if (majors.some((n) => !Number.isInteger(n) || n < 9))
              throw new ConformanceUsageError(`--pg takes PostgreSQL majors such as 10,17, not "${opts.pg}"`);
            // Resolved here first, as a config would be, so a missing or incompatible plugin is
            // reported with its coded error (and every place tried) before any server starts.
            const found = await new PluginCatalog(process.cwd()).resolve(plugin);
            const packageDir = authorPackageDir(found);
            // Loaded on demand: vitest is heavy and only this command needs it. In a checkout's
            // build the suite is TypeScript (it is not bundled), so module loading is readied first.
            await prepareForeignImports();
            const { runConformance } = await import('@pgshift/conformance/runner');
            const report: Report = await runConformance({
              plugin,
              baseDir: process.cwd(),
              majors,
              ...(packageDir ? { packageDir } : {}),
            });
            ctx.print(render(report));
            if (opts.json) writeFileSync(resolve(opts.json), `${JSON.stringify(report, null, 2)}\n`);
            // Kept by the plugin's own name, so `pgshift plugins` and the console show its status.
            saveConformanceReport(found.definition.meta.name, { ...report });
            return report.ok ? 0 : 1;
          }),
        ),
    );
  },
};

/** A third-party plugin's package directory: its own tests carry the arrangements the suite needs. */
function authorPackageDir(found: FoundPlugin): string | undefined {
  return found.firstParty || !found.file ? undefined : packageDirOf(found.file);
}

class ConformanceUsageError extends PgshiftError {
  constructor(message: string) {
    super('PGSHIFT_CONFORMANCE_USAGE', message, {
      remedy: 'for example: pgshift conformance ./my-plugin --pg 10,17',
    });
  }
}

function render(report: Report): string {
  const lines = [`conformance of ${report.plugin} on PostgreSQL ${report.majors.join(', ')}`, ''];
  for (const test of report.tests) {
    lines.push(`${WORDS[test.outcome]}  ${test.name}`);
    if (test.reason)
      lines.push(`      ${test.outcome === 'failed' ? 'error' : 'reason'}: ${test.reason.split('\n')[0]}`);
  }
  for (const error of report.errors) lines.push(`ERROR ${error.split('\n')[0]}`);
  const { passed, failed, skipped } = report.summary;
  lines.push(
    '',
    `${passed} passed, ${failed} failed, ${skipped} skipped — ${report.ok ? 'conformant' : 'NOT conformant'}`,
  );
  return lines.join('\n');
}
