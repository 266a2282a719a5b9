import type { DecoderFormat, VersionCapabilities, VersionPolicy } from '@pgshift/plugin-api';

export interface Pg95Options {
  /** The output plugin installed on the source (its shared library name). */
  outputPlugin: string;
  /** The format that plugin writes. */
  format: Extract<DecoderFormat, 'test_decoding' | 'wal2json'>;
}

export const PG95_DEFAULTS: Pg95Options = { outputPlugin: 'dts_decoding', format: 'test_decoding' };

/**
 * 9.4 to 9.6: logical decoding exists but pgoutput does not, so changes are read through an output
 * plugin that someone installed on the source — `dts_decoding` unless configured otherwise.
 */
export class Pg95Policy implements VersionPolicy {
  readonly name = 'policy-pg95';
  readonly covers = { min: 90400, max: 100000 };
  readonly #options: Pg95Options;

  constructor(options: Partial<Pg95Options> = {}) {
    this.#options = { ...PG95_DEFAULTS, ...options };
  }

  capabilities(_serverVersionNum: number): VersionCapabilities {
    return {
      fullCopy: true,
      incremental: true,
      decoder: { outputPlugin: this.#options.outputPlugin, format: this.#options.format, publication: false },
      // Before 10 the slot always exports a snapshot; the option list exists only from 15.
      // 9.4-9.6 export a snapshot unasked and do not know the EXPORT_SNAPSHOT keyword.
      slotSnapshotSyntax: 'implicit',
    };
  }
}
