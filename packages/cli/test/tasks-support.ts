import type { SandboxServer } from '@pgshift/sandbox';
import { runCli, type tempDir } from './run-cli.js';

/** A task config for two sandbox servers, no state directory of its own (the store gives one). */
export function taskConfig(
  dir: ReturnType<typeof tempDir>,
  name: string,
  source: SandboxServer,
  target: SandboxServer,
  extra: { mode?: 'full' | 'full+incremental'; databases: string[]; startAt?: string },
): string {
  const endpoint = (s: SandboxServer) =>
    `  access: public-ip\n  host: ${s.host}\n  port: ${s.port}\n  user: ${s.user}\n  password: not-needed-with-trust\n`;
  return dir.write(
    `${name}.yaml`,
    `task:\n  name: ${name}\n${extra.startAt ? `  startAt: ${extra.startAt}\n` : ''}` +
      `source:\n${endpoint(source)}target:\n${endpoint(target)}` +
      `objects:\n  databases: [${extra.databases.join(', ')}]\n` +
      `mode: ${extra.mode ?? 'full'}\noptions:\n  jobs: 2\n`,
  );
}

export interface ShownTask {
  name: string;
  status: string;
  stage?: string;
  dueAt?: string;
  history: { status: string; stage?: string; at: string; note?: string; worker?: string; origin?: string }[];
  worker?: { id: string };
  checks?: { ok: boolean; items: { id: string; status: string; message: string }[] };
  cleanupAdvice?: string[];
  lagSeries?: { at: string; lagBytes?: number; lagSeconds?: number; applyRate?: number }[];
  run?: { status: string; databases: Record<string, { phase: string }> };
  progress: {
    percent?: number;
    copy?: {
      rows: number;
      bytes: number;
      tables?: { database: string; table: string; rows: number; bytes: number; done: boolean }[];
    };
  };
}

/** `pgshift task <args> --store STORE --json`, failing loudly on an unexpected exit code. */
export async function task(store: string, args: string[], expectCode = 0) {
  const result = await runCli(['task', ...args, '--store', store, '--json']);
  if (result.code !== expectCode) {
    throw new Error(`task ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

export async function show(store: string, name: string): Promise<ShownTask> {
  const { stdout } = await task(store, ['show', name]);
  return JSON.parse(stdout) as ShownTask;
}

/** The span a task ran: from a worker taking it to its last transition. */
export function runSpan(shown: ShownTask): { start: number; end: number } {
  const taken = shown.history.find((h) => h.status === 'running');
  const last = shown.history.at(-1);
  if (!taken || !last) throw new Error(`task ${shown.name} never ran`);
  return { start: Date.parse(taken.at), end: Date.parse(last.at) };
}
