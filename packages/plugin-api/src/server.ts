import type { Route } from './connection.js';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number | null;
}

/** The part of a database session that checkers and policies need. */
export interface SqlSession {
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface OpenSession extends SqlSession {
  close(): Promise<void>;
}

export interface ServerVersion {
  /** `server_version_num`, e.g. 170002 or 90524. */
  num: number;
  /** Major version as PostgreSQL names it: 9.5, 10, 17. */
  major: number;
  /** `server_version` as the server prints it. */
  text: string;
}

export type ServerRole = 'source' | 'target';

/** One side of the migration, reached through its route. */
export interface ServerHandle {
  readonly role: ServerRole;
  readonly route: Route;
  /** The database to connect to when none is named (the config's maintenance `database`). */
  readonly maintenanceDatabase: string;
  /** Runs one statement on a short-lived connection. */
  query<R = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
    options?: { database?: string },
  ): Promise<QueryResult<R>>;
  /** Opens a session that the caller must close. Replication sessions accept the simple protocol only. */
  connect(options?: { database?: string; replication?: boolean }): Promise<OpenSession>;
  version(): Promise<ServerVersion>;
}
