import type pg from 'pg';
import { quoteLiteral } from '../quote.js';
import { applyFixedSettings } from '../session-settings.js';

type Opener = () => Promise<pg.Client>;

/** One side's sessions: the first opened the snapshot, every other one reads the same snapshot. */
export interface SidePool {
  sessions: pg.Client[];
}

const BEGIN = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/**
 * Opens up to `jobs` sessions on one side, all in one REPEATABLE READ snapshot: the first exports
 * it (pg_export_snapshot, 9.2 and later), the others import it as the first statement of their
 * transaction, so every query of verify on that side sees the same data, as one session would.
 * Where the export is refused (a standby before 10, for one), that side keeps its one session.
 * With `imported`, every session imports that snapshot instead (exported by another session).
 * Every session runs under the fixed settings.
 */
export async function openSidePool(open: Opener, jobs: number, imported?: string): Promise<SidePool> {
  const first = await open();
  const sessions = [first];
  try {
    await applyFixedSettings(first);
    await first.query(BEGIN);
    // A snapshot exported elsewhere (a replication slot's, for live verify): every session imports it.
    if (imported !== undefined) await first.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(imported)}`);
    if (jobs <= 1) return { sessions };
    let snapshot: string | undefined = imported;
    if (snapshot === undefined)
      try {
        // Not under a savepoint: a subtransaction cannot export. Nothing is read yet, so a refused
        // export only costs a new transaction.
        snapshot = (await first.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]?.s;
      } catch {
        await first.query('ROLLBACK');
        await first.query(BEGIN);
      }
    if (!snapshot) return { sessions };
    const others = await Promise.all(
      Array.from({ length: jobs - 1 }, async () => {
        const client = await open();
        try {
          await applyFixedSettings(client);
          await client.query(BEGIN);
          await client.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
          return client;
        } catch (error) {
          await client.end().catch(() => {});
          throw error;
        }
      }).map((p) => p.catch(() => undefined)),
    );
    for (const client of others) if (client) sessions.push(client);
    return { sessions };
  } catch (error) {
    await closeSidePool({ sessions });
    throw error;
  }
}

/** Ends every session of the side (its read-only transaction rolled back first). */
export async function closeSidePool(pool: SidePool | undefined): Promise<void> {
  await Promise.all(
    (pool?.sessions ?? []).map(async (client) => {
      await client.query('ROLLBACK').catch(() => {});
      await client.end().catch(() => {});
    }),
  );
}
