import type { SandboxServer } from '@pgshift/sandbox';

/** What a checker could leave behind on a server: sessions (client backends, walsenders) and slots. */
export interface ServerFootprint {
  sessions: number;
  slots: number;
}

/** Counts the sessions (other than the counting one) and replication slots on each server. */
export async function footprint(servers: readonly SandboxServer[]): Promise<ServerFootprint[]> {
  return Promise.all(
    servers.map(async (server) => {
      const [row] = await server.query<{ sessions: number; slots: number }>(
        `SELECT (SELECT count(*)::int FROM pg_stat_activity
                  WHERE pid <> pg_backend_pid() AND backend_type IN ('client backend', 'walsender')) AS sessions,
                (SELECT count(*)::int FROM pg_replication_slots) AS slots`,
      );
      return { sessions: row?.sessions ?? 0, slots: row?.slots ?? 0 };
    }),
  );
}

/**
 * Waits until the servers are back to `baseline` (a backend leaves pg_stat_activity a moment after
 * its client closed the socket) and returns what was seen last; more than the baseline is a leak.
 */
export async function settledFootprint(
  servers: readonly SandboxServer[],
  baseline: readonly ServerFootprint[],
  attempts = 50,
): Promise<ServerFootprint[]> {
  let seen = await footprint(servers);
  for (let i = 0; i < attempts && !atMost(seen, baseline); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = await footprint(servers);
  }
  return seen;
}

function atMost(seen: readonly ServerFootprint[], baseline: readonly ServerFootprint[]): boolean {
  return seen.every(
    (s, i) => s.sessions <= (baseline[i]?.sessions ?? 0) && s.slots <= (baseline[i]?.slots ?? 0),
  );
}
