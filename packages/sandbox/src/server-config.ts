import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { majorHasFeature } from '@pgshift/pg';
import type { SandboxOptions } from './sandbox-options.js';
import type { RunAs } from './unprivileged-user.js';

/*
 * What a sandbox server is configured with before each start: the sandbox's settings, then the
 * caller's (postgresql.auto.conf, or an included file on 9.3), pg_hba.conf and the TLS files.
 */

function baseSettings(
  major: number,
  port: number,
  durable: boolean,
): Record<string, string | number | boolean> {
  const logical = majorHasFeature(major, 'logicalDecoding');
  return {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: '',
    max_connections: 100,
    wal_level: logical ? 'logical' : 'hot_standby',
    ...(logical ? { max_replication_slots: 16 } : {}),
    max_wal_senders: 16,
    shared_buffers: '128MB',
    fsync: durable,
    full_page_writes: durable,
    synchronous_commit: durable ? 'on' : 'off',
    log_min_messages: 'warning',
    log_line_prefix: "'%m [%p] '",
    timezone: "'UTC'",
  };
}

function renderSetting(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return String(value);
  return value.startsWith("'") ? value : `'${value.replaceAll("'", "''")}'`;
}

export function writeConfig(
  baseDir: string,
  port: number,
  options: SandboxOptions,
  runAs: RunAs | undefined,
) {
  const dataDir = join(baseDir, 'data');
  const settings = {
    ...baseSettings(options.major, port, options.durable ?? false),
    ...(options.settings ?? {}),
  };
  if (options.password !== undefined && majorHasFeature(options.major, 'scramAuthentication'))
    settings.password_encryption = 'scram-sha-256';
  if (options.tls) writeTlsFiles(dataDir, options.tls, settings, runAs);
  const conf = Object.entries(settings)
    .map(([key, value]) => `${key} = ${renderSetting(value)}`)
    .join('\n');
  // postgresql.auto.conf (ALTER SYSTEM's file) is read from 9.4 on; 9.3 reads an included file.
  const autoConf = majorHasFeature(options.major, 'alterSystem');
  const confPath = join(dataDir, autoConf ? 'postgresql.auto.conf' : 'pgshift-sandbox.conf');
  writeFileSync(confPath, `# written by @pgshift/sandbox\n${conf}\n`);
  if (!autoConf) {
    const main = join(dataDir, 'postgresql.conf');
    const text = readFileSync(main, 'utf8');
    if (!text.includes("include 'pgshift-sandbox.conf'"))
      writeFileSync(main, `${text}\ninclude 'pgshift-sandbox.conf'\n`);
  }
  if (options.hba) writeFileSync(join(dataDir, 'pg_hba.conf'), `${options.hba.join('\n')}\n`);
  else if (!majorHasFeature(options.major, 'initdbModernDefaults')) {
    // initdb enables replication connections by default from 10 on; before, the lines are
    // commented out. Allow them the same way, so every major starts alike.
    const hba = join(dataDir, 'pg_hba.conf');
    const method = options.password === undefined ? 'trust' : 'md5';
    const text = readFileSync(hba, 'utf8');
    if (!text.includes('# pgshift-sandbox replication'))
      writeFileSync(
        hba,
        `${text}\n# pgshift-sandbox replication\nhost replication all 127.0.0.1/32 ${method}\n`,
      );
  }
  if (runAs) {
    chownSync(confPath, runAs.uid, runAs.gid);
    chownSync(join(dataDir, 'pg_hba.conf'), runAs.uid, runAs.gid);
  }
}

/** The server's certificate, key and client CA in its data directory, as ssl = on needs them. */
function writeTlsFiles(
  dataDir: string,
  tls: NonNullable<SandboxOptions['tls']>,
  settings: Record<string, string | number | boolean>,
  runAs: RunAs | undefined,
): void {
  const files: Array<[string, string, string]> = [
    ['server.crt', tls.cert, 'ssl_cert_file'],
    ['server.key', tls.key, 'ssl_key_file'],
  ];
  if (tls.ca) files.push(['root.crt', tls.ca, 'ssl_ca_file']);
  for (const [name, text, setting] of files) {
    const path = join(dataDir, name);
    // The server refuses a key others may read.
    writeFileSync(path, text, { mode: 0o600 });
    if (runAs) chownSync(path, runAs.uid, runAs.gid);
    settings[setting] = name;
  }
  settings.ssl = true;
}
