import { execFile } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { majorHasFeature } from '@pgshift/pg';
import { type Binaries, envFor } from './binaries-location.js';
import type { SandboxOptions } from './sandbox-options.js';
import type { RunAs } from './unprivileged-user.js';

/*
 * A sandbox server's data directory, made fresh by initdb or copied from a stopped cluster, and
 * owned by the user the server runs as.
 */

const execFileAsync = promisify(execFile);

/** The superuser initdb creates; every sandbox connection logs in as it. */
export const SUPERUSER = 'postgres';

export async function initdb(
  binaries: Binaries,
  baseDir: string,
  options: SandboxOptions,
  runAs: RunAs | undefined,
) {
  const args = [
    '-D',
    join(baseDir, 'data'),
    '-U',
    SUPERUSER,
    '-E',
    'UTF8',
    `--locale=${options.locale ?? 'C'}`,
  ];
  args.push(majorHasFeature(options.major, 'initdbModernDefaults') ? '--no-sync' : '--nosync');
  if (options.password !== undefined) {
    const pwfile = join(baseDir, 'pwfile');
    writeFileSync(pwfile, `${options.password}\n`, { mode: 0o600 });
    if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
    args.push(
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      `--auth-host=${majorHasFeature(options.major, 'scramAuthentication') ? 'scram-sha-256' : 'md5'}`,
    );
  } else {
    args.push('--auth=trust');
  }
  try {
    await execFileAsync(join(binaries.bin, 'initdb'), args, {
      env: envFor(binaries),
      cwd: baseDir,
      ...(runAs ?? {}),
    });
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`initdb for PostgreSQL ${options.major} failed: ${detail}`);
  } finally {
    rmSync(join(baseDir, 'pwfile'), { force: true });
  }
}

/** A private copy of a stopped cluster, owned by the server's user, as initdb would leave it. */
export function copyTemplate(template: string, dataDir: string, runAs: RunAs | undefined): void {
  if (!existsSync(join(template, 'PG_VERSION')))
    throw new Error(`${template} is no PostgreSQL data directory (it has no PG_VERSION)`);
  cpSync(template, dataDir, { recursive: true });
  rmSync(join(dataDir, 'postmaster.pid'), { force: true });
  chmodSync(dataDir, 0o700);
  if (runAs) chownTree(dataDir, runAs);
}

function chownTree(dir: string, runAs: RunAs): void {
  chownSync(dir, runAs.uid, runAs.gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) chownTree(path, runAs);
    else chownSync(path, runAs.uid, runAs.gid);
  }
}
