import type {
  OpenSession,
  QueryResult,
  Route,
  ServerHandle,
  ServerRole,
  ServerVersion,
} from '@pgshift/plugin-api';
import type pg from 'pg';
import { openClient } from './connect.js';
import { majorVersion } from './server-version.js';

function toResult<R>(result: pg.QueryResult | pg.QueryResult[]): QueryResult<R> {
  // A simple-protocol string with several statements answers with one result each; keep the last.
  const last = Array.isArray(result) ? result.at(-1) : result;
  return { rows: (last?.rows ?? []) as R[], rowCount: last?.rowCount ?? null };
}

/** Wraps an open pg client as a plugin-facing session. */
export function sessionOf(client: pg.Client): OpenSession {
  return {
    async query<R>(text: string, values?: readonly unknown[]) {
      return toResult<R>(await client.query(text, values as unknown[] | undefined));
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}

/** One side of the migration, reached through a route, as plugins see it. */
export function createServerHandle(
  role: ServerRole,
  route: Route,
  maintenanceDatabase = 'postgres',
): ServerHandle {
  let cachedVersion: ServerVersion | undefined;
  const connect = async (options: { database?: string; replication?: boolean } = {}) => {
    const params = route.connection({
      database: options.database ?? maintenanceDatabase,
      ...(options.replication ? { replication: true } : {}),
    });
    return openClient(params, `pgshift-${role}`);
  };
  const handle: ServerHandle = {
    role,
    route,
    maintenanceDatabase,
    async query<R>(text: string, values?: readonly unknown[], options: { database?: string } = {}) {
      const client = await connect(options);
      try {
        return toResult<R>(await client.query(text, values as unknown[] | undefined));
      } finally {
        await client.end().catch(() => {});
      }
    },
    async connect(options = {}) {
      return sessionOf(await connect(options));
    },
    async version() {
      if (cachedVersion) return cachedVersion;
      const { rows } = await handle.query<{ num: string; text: string }>(
        "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text",
      );
      const num = Number(rows[0]?.num);
      cachedVersion = {
        num,
        major: majorVersion(num),
        text: rows[0]?.text ?? '',
      };
      return cachedVersion;
    },
  };
  return handle;
}
