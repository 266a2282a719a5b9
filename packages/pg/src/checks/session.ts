import type { OpenSession, ServerHandle } from '@pgshift/plugin-api';

/** Opens a session, hands it to `body`, and closes it whatever happens. */
export async function withSession<T>(
  server: ServerHandle,
  options: { database?: string; replication?: boolean },
  body: (session: OpenSession) => Promise<T>,
): Promise<T> {
  const session = await server.connect(options);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

/** The user name a server handle connects as (never its password). */
export function connectionUser(server: ServerHandle): string {
  return server.route.connection().user;
}
