import { appendFileSync } from 'node:fs';
import type { SandboxServer } from '@pgshift/sandbox';

/**
 * What one end-to-end test proved, for docs/support-matrix.md: `pnpm docs:matrix` runs the tests
 * with PGSHIFT_SUPPORT_MATRIX naming a file, and each passing migration appends one line to it.
 * Without the variable nothing is written.
 */
export interface SupportRecord {
  source: string;
  target: string;
  mode: 'full' | 'full+incremental';
  outputPlugin?: string;
  proof: string;
}

async function versionText(server: SandboxServer): Promise<string> {
  const [row] = await server.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  return row?.v.split(' ')[0] ?? String(server.major);
}

export async function recordSupport(
  source: SandboxServer,
  target: SandboxServer,
  entry: Omit<SupportRecord, 'source' | 'target'>,
): Promise<void> {
  const file = process.env.PGSHIFT_SUPPORT_MATRIX;
  if (!file) return;
  const record: SupportRecord = {
    source: await versionText(source),
    target: await versionText(target),
    ...entry,
  };
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}
