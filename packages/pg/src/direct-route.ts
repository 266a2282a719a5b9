import type { ConnectionParams, Route } from '@pgshift/plugin-api';

/** A route that connects straight to host:port; used by tests and by simple connectors. */
export function directRoute(
  params: Omit<ConnectionParams, 'database' | 'replication'> & { database?: string },
  facts: Route['facts'] = {},
): Route {
  return {
    description: `${params.host}:${params.port}`,
    facts,
    connection(options = {}) {
      return {
        ...params,
        database: options.database ?? params.database ?? 'postgres',
        ...(options.replication ? { replication: true } : {}),
      };
    },
    async close() {},
  };
}
