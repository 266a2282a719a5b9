import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { SandboxServer } from '@pgshift/sandbox';
import { BENCH_SETTINGS } from './servers.js';

export interface MachineFacts {
  date: string;
  nproc: number;
  cpuModel: string;
  memoryGiB: string;
  freeMemoryGiB: string;
  /** 1-minute load average when the run started: other work on the machine skews the figures. */
  loadAverage: string;
  node: string;
  postgres: string;
  settings: string;
}

/** What the figures depend on: the machine, the server version and the settings in force. */
export async function machineFacts(server: SandboxServer): Promise<MachineFacts> {
  const [version] = await server.query<{ v: string }>('SELECT version() AS v');
  const names = [...Object.keys(BENCH_SETTINGS), 'fsync', 'synchronous_commit', 'full_page_writes'];
  const rows = await server.query<{ name: string; setting: string }>(
    'SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1) ORDER BY name',
    [names],
  );
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: (totalmem() / 2 ** 30).toFixed(1),
    freeMemoryGiB: (freemem() / 2 ** 30).toFixed(1),
    loadAverage: (loadavg()[0] ?? 0).toFixed(2),
    node: process.version,
    postgres: (version?.v ?? '').replace(/ on x86_64.*/, ''),
    settings: rows.map((r) => `${r.name}=${r.setting}`).join(', '),
  };
}

export function machineLines(facts: MachineFacts): string[] {
  return [
    `- Date: ${facts.date}`,
    `- Machine: ${facts.nproc} CPUs (${facts.cpuModel}), ${facts.memoryGiB} GiB memory; load average ${facts.loadAverage} at the start; Node ${facts.node}`,
    `- Servers: ${facts.postgres} (sandbox servers, the same for every tool)`,
    `- Settings: ${facts.settings}`,
  ];
}
