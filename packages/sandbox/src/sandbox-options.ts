import type { Binaries } from './binaries-location.js';

/** How to start a sandbox server (SandboxServer.start). */
export interface SandboxOptions {
  major: number;
  /** postgresql.conf settings, added after the sandbox defaults (so they win). */
  settings?: Record<string, string | number | boolean>;
  /** Replaces pg_hba.conf with these lines. Absent: initdb's default, which allows replication. */
  hba?: string[];
  /** Superuser password; when given, TCP connections must authenticate with it (scram or md5). */
  password?: string;
  /** Keep fsync and full-page writes on (benchmarks). Tests turn them off for speed. */
  durable?: boolean;
  /** Locale for initdb; `C` by default so tests do not depend on the machine's locales. */
  locale?: string;
  /** Binaries of `major` to run instead of the npm ones, e.g. `systemBinaries(15)`. */
  binaries?: Binaries;
  /**
   * A stopped data directory of `major` to start a copy of instead of running initdb (e.g. the
   * cluster PostgreSQL's regression suite left, see regression-database.ts). The template is
   * never changed; its superuser must be `postgres` and its pg_hba.conf must trust loopback.
   */
  dataTemplate?: string;
  /**
   * Serve TLS with this certificate and key (PEM text); `ca` is trusted for client certificates
   * (pg_hba's `cert` method). Without it the server offers no TLS.
   */
  tls?: { cert: string; key: string; ca?: string };
}
