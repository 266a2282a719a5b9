import { firstLoadableOutputPlugin, withSession } from '@pgshift/pg';
import type { DecoderChoice, ServerHandle, VersionCapabilities } from '@pgshift/plugin-api';
import { replicationName } from './names.js';

export interface SettledDecoder {
  capabilities: VersionCapabilities;
  /** Which decoder was chosen and why, in a sentence for the check report and the log. */
  note?: string;
}

/**
 * Chooses among a policy's decoder candidates: the output plugin of a slot this task already has
 * on the source (a resumed task keeps reading the format its slot writes), else the first
 * candidate whose output plugin loads there. When none loads, the first candidate stays, and the
 * output-plugin check reports why it cannot be used.
 */
export async function settleDecoder(
  taskName: string,
  source: ServerHandle,
  capabilities: VersionCapabilities,
): Promise<SettledDecoder> {
  const candidates = capabilities.decoderCandidates;
  if (!candidates || candidates.length < 2) return { capabilities };
  const chosen = (decoder: DecoderChoice, note: string): SettledDecoder => ({
    capabilities: { ...capabilities, decoder },
    note,
  });

  const { rows: slots } = await source.query<{ slot: string; plugin: string; database: string }>(
    `SELECT slot_name::text AS slot, plugin::text AS plugin, database::text AS database
       FROM pg_catalog.pg_replication_slots WHERE slot_type = 'logical'`,
  );
  const own = slots.find((s) => s.slot === replicationName(taskName, s.database));
  if (own) {
    const decoder = candidates.find((c) => c.outputPlugin === own.plugin);
    if (decoder)
      return chosen(
        decoder,
        `changes are read through output plugin ${own.plugin}, as the task's slot ${own.slot} was made with it`,
      );
  }

  const { num } = await source.version();
  const found = await withSession(source, {}, (session) =>
    firstLoadableOutputPlugin(
      session,
      num,
      candidates.map((c) => c.outputPlugin),
    ),
  );
  const skipped = found.refused.map((r) => `${r.plugin} (${r.reason.split('\n')[0]})`).join(', ');
  if (!found.plugin) return { capabilities };
  const decoder = candidates.find((c) => c.outputPlugin === found.plugin)!;
  return chosen(
    decoder,
    `changes will be read through output plugin ${found.plugin}` +
      (skipped ? `; not usable: ${skipped}` : ''),
  );
}
