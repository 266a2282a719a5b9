import { FEATURE_SINCE } from '@pgshift/pg';
import type { DecoderChoice, DecoderFormat, VersionCapabilities, VersionPolicy } from '@pgshift/plugin-api';

type PluginFormat = Extract<DecoderFormat, 'test_decoding' | 'wal2json'>;

export interface OutputPluginEntry {
  /** The output plugin's shared library name, as CREATE_REPLICATION_SLOT takes it. */
  name: string;
  /** The format it writes. */
  format: PluginFormat;
}

export interface Pg95Options {
  /** Output plugins in order of preference: the first one installed on the source is used. */
  outputPlugins: OutputPluginEntry[];
  /** One output plugin only (shorthand for a one-entry `outputPlugins`). */
  outputPlugin?: string;
  /** The format `outputPlugin` writes. */
  format?: PluginFormat;
}

/**
 * dts_decoding (the cloud service's plugin, test_decoding's text format) where it is installed,
 * else wal2json, else test_decoding, which ships with PostgreSQL's contrib on most servers.
 */
export const DEFAULT_OUTPUT_PLUGINS: OutputPluginEntry[] = [
  { name: 'dts_decoding', format: 'test_decoding' },
  { name: 'wal2json', format: 'wal2json' },
  { name: 'test_decoding', format: 'test_decoding' },
];

export const PG95_DEFAULTS: Pg95Options = { outputPlugins: DEFAULT_OUTPUT_PLUGINS };

/**
 * 9.4 to 9.6: logical decoding exists but pgoutput does not, so changes are read through an output
 * plugin that someone installed on the source: the first of an ordered list that loads there.
 */
export class Pg95Policy implements VersionPolicy {
  readonly name = 'policy-pg95';
  /** From logical decoding (9.4) up to pgoutput and publications (10). */
  readonly covers = { min: FEATURE_SINCE.logicalDecoding, max: FEATURE_SINCE.publications };
  readonly #candidates: DecoderChoice[];

  constructor(options: Partial<Pg95Options> = {}) {
    const entries: OutputPluginEntry[] =
      options.outputPlugin !== undefined
        ? [{ name: options.outputPlugin, format: options.format ?? 'test_decoding' }]
        : (options.outputPlugins ?? DEFAULT_OUTPUT_PLUGINS);
    this.#candidates = entries.map((e) => ({ outputPlugin: e.name, format: e.format, publication: false }));
  }

  capabilities(_serverVersionNum: number): VersionCapabilities {
    return {
      fullCopy: true,
      incremental: true,
      decoder: this.#candidates[0],
      ...(this.#candidates.length > 1 ? { decoderCandidates: [...this.#candidates] } : {}),
      // 9.4-9.6 export a snapshot unasked and do not know the EXPORT_SNAPSHOT keyword.
      slotSnapshotSyntax: 'implicit',
    };
  }
}
