import { randomBytes } from 'node:crypto';
import type { OpenSession } from '@pgshift/plugin-api';
import { hasFeature } from '../server-features.js';

const DROP_IF_PRESENT =
  'SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots WHERE slot_name = $1';

/**
 * Creates a short-lived logical slot with `plugin`, runs `body` with its name, and drops it
 * whatever happens. Temporary from 10 on (it also goes if the session dies); 9.4-9.6 have no
 * temporary slots, so there it is a permanent one that this function always drops, on error too.
 */
export async function withProbeSlot<T>(
  session: OpenSession,
  versionNum: number,
  plugin: string,
  body: (slot: string) => Promise<T>,
): Promise<T> {
  const slot = `pgshift_probe_${randomBytes(6).toString('hex')}`;
  const temporary = hasFeature(versionNum, 'temporarySlots');
  try {
    await session.query(
      temporary
        ? 'SELECT pg_catalog.pg_create_logical_replication_slot($1, $2, true)'
        : 'SELECT pg_catalog.pg_create_logical_replication_slot($1, $2)',
      [slot, plugin],
    );
    return await body(slot);
  } finally {
    // A refused peek has already released a temporary slot; an aborted transaction blocks the drop.
    await session.query('ROLLBACK').catch(() => {});
    await session.query(DROP_IF_PRESENT, [slot]).catch(() => {});
  }
}

/**
 * The first output plugin of `candidates` that loads on the server (a slot can be made with it),
 * and why each one before it did not.
 */
export async function firstLoadableOutputPlugin(
  session: OpenSession,
  versionNum: number,
  candidates: readonly string[],
): Promise<{ plugin?: string; refused: { plugin: string; reason: string }[] }> {
  const refused: { plugin: string; reason: string }[] = [];
  for (const plugin of candidates) {
    try {
      await withProbeSlot(session, versionNum, plugin, async () => {});
      return { plugin, refused };
    } catch (error) {
      refused.push({ plugin, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { refused };
}
