import type { SandboxServer } from '@pgshift/sandbox';

/** TCP sockets this process holds open (counted by Node, not assumed). */
export function openTcpSockets(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;
}

/** Client sessions of one application name the server sees. */
export async function serverSessions(server: SandboxServer, applicationName: string): Promise<number> {
  const rows = await server.query<{ n: string }>(
    'select count(*)::text as n from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
    [applicationName],
  );
  return Number(rows[0]?.n ?? 0);
}
