import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationDeps, type LoadedTask, type RunOutcome, runTask } from '@pgshift/kernel';
import type { ProgressSink } from '@pgshift/plugin-api';
import { installedMajors, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { StateDir } from '@pgshift/tasks';
import { DEMO_TABLES, loadDemoData } from './dataset.js';
import { startDemoWriter } from './demo-writer.js';

export interface DemoOptions {
  scale: number;
  /** Seconds of live sync to show before finishing. */
  syncSeconds: number;
  keep: boolean;
  /** Where progress events go (live display, plain lines or JSON, plus metrics). */
  progress: ProgressSink;
  /** A line for the person watching (above the live display; a message event in --json). */
  print(line: string): void;
  load(configPath: string): Promise<LoadedTask>;
  signal: AbortSignal;
}

const DATABASE = 'shop';
const PASSWORD_ENV = 'PGSHIFT_DEMO_PASSWORD';

function pickMajors(): { source: number; target: number } {
  const majors = installedMajors();
  const target = Math.max(...majors);
  const older = majors.filter((m) => m < target);
  // An older source shows the version upgrade; 13 when present, else the oldest.
  const source = older.includes(13) ? 13 : (older[0] ?? target);
  return { source, target };
}

function configText(source: SandboxServer, target: SandboxServer, stateDir: string): string {
  const side = (s: SandboxServer) =>
    [
      '  access: public-ip',
      `  host: ${s.host}`,
      `  port: ${s.port}`,
      `  user: ${s.user}`,
      `  password: { env: ${PASSWORD_ENV} }`,
    ].join('\n');
  return [
    'task:',
    '  name: demo-shop',
    'source:',
    side(source),
    'target:',
    side(target),
    'objects:',
    `  databases: [${DATABASE}]`,
    'mode: full+incremental',
    'options:',
    '  jobs: 2',
    `  stateDir: ${stateDir}`,
    '',
  ].join('\n');
}

/** Waits until `predicate` holds, checking every 200 ms; false when the signal aborts first. */
async function until(predicate: () => boolean, signal: AbortSignal): Promise<boolean> {
  while (!predicate()) {
    if (signal.aborted) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

/**
 * The demo: two throwaway servers (an older source, a newer target), a small shop that keeps
 * taking orders, then the whole pgshift flow — checks, schema, copy, live sync, finish, verify.
 */
export async function runDemo(options: DemoOptions): Promise<RunOutcome> {
  const { print } = options;
  const majors = pickMajors();
  const workDir = mkdtempSync(join(tmpdir(), 'pgshift-demo-'));
  // A random password, passed by env reference: it is redacted from everything pgshift prints.
  const password = `demo-${Math.random().toString(36).slice(2)}`;
  process.env[PASSWORD_ENV] = password;
  const servers: SandboxServer[] = [];
  try {
    print(`starting PostgreSQL ${majors.source} (source) and PostgreSQL ${majors.target} (target)...`);
    const [source, target] = await Promise.all([
      startPostgres({ major: majors.source, password }),
      startPostgres({ major: majors.target, password }),
    ]);
    servers.push(source, target);
    print(`loading the demo shop into the source (scale ${options.scale})...`);
    await loadDemoData(source, DATABASE, options.scale);

    const stateDir = join(workDir, 'state');
    const configPath = join(workDir, 'demo.yaml');
    writeFileSync(configPath, configText(source, target, stateDir));
    print(`task config: ${configPath}`);

    const task = await options.load(configPath);
    const progress = options.progress;
    const writer = startDemoWriter(source, DATABASE);
    const control = new StateDir(stateDir);
    const running = runTask(task, {
      deps: defaultMigrationDeps,
      progress,
      signal: options.signal,
      pollMs: 250,
    });
    let outcome: RunOutcome | undefined;
    let failed = false;
    // Observed here only to stop waiting; the error itself surfaces at `await running` below.
    running.then(
      (o) => {
        outcome = o;
      },
      () => {
        failed = true;
      },
    );
    const following = await until(
      () =>
        failed || outcome !== undefined || control.readState()?.databases[DATABASE]?.phase === 'following',
      options.signal,
    );
    if (following && outcome === undefined && !failed) {
      progress.emit({
        type: 'message',
        level: 'info',
        text: `following live changes for ${options.syncSeconds}s while orders keep coming in`,
      });
      const deadline = Date.now() + options.syncSeconds * 1000;
      await until(() => Date.now() > deadline || failed || outcome !== undefined, options.signal);
    }
    const written = await writer.stop();
    if (outcome === undefined && !failed && !options.signal.aborted) {
      progress.emit({
        type: 'message',
        level: 'info',
        text: `the shop stopped writing after ${written} transactions; finishing (the same as "pgshift finish")`,
      });
      control.requestControl('finish');
    }
    const result = await running;
    if (result.status === 'completed') {
      const counts = await Promise.all(
        DEMO_TABLES.map(async (table) => {
          const [s, t] = await Promise.all([
            source.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`, [], DATABASE),
            target.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`, [], DATABASE),
          ]);
          return `  ${table.padEnd(12)} source ${s[0]?.n.padStart(8)}  target ${t[0]?.n.padStart(8)}`;
        }),
      );
      print(['', 'rows per table after the migration:', ...counts].join('\n'));
    }
    if (options.keep) {
      print(
        [
          '',
          'the servers keep running until you press Ctrl-C:',
          `  source: psql "host=${source.host} port=${source.port} user=${source.user} dbname=${DATABASE}"`,
          `  target: psql "host=${target.host} port=${target.port} user=${target.user} dbname=${DATABASE}"`,
          `  password: in the environment variable ${PASSWORD_ENV} of this process (printed nowhere)`,
        ].join('\n'),
      );
      await until(() => false, options.signal);
    }
    return result;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(workDir, { recursive: true, force: true });
  }
}
