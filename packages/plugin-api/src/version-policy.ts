/** The change formats pgshift can decode. */
export type DecoderFormat = 'pgoutput' | 'test_decoding' | 'wal2json';

export interface DecoderChoice {
  /** Output plugin the slot is created with (`pgoutput`, `test_decoding`, `dts_decoding`, ...). */
  outputPlugin: string;
  /** The format the output plugin writes, which selects pgshift's decoder. */
  format: DecoderFormat;
  /** pgoutput needs a publication; pgshift creates and drops it. */
  publication: boolean;
}

/** What one server version allows, as decided by the policy that covers it. */
export interface VersionCapabilities {
  fullCopy: boolean;
  incremental: boolean;
  /** Why incremental sync is unavailable, when it is; shown to the user as is. */
  incrementalUnavailableReason?: string;
  /** The decoder to follow with; where `decoderCandidates` is given, the first of them until settled. */
  decoder?: DecoderChoice;
  /**
   * Decoders in order of preference, for servers where the output plugin is installed by hand
   * (9.4-9.6): the kernel uses the first whose output plugin loads on the source, and says which
   * in the check report. Absent: `decoder` is the only choice.
   */
  decoderCandidates?: DecoderChoice[];
  /**
   * How CREATE_REPLICATION_SLOT asks for an exported snapshot: `(SNAPSHOT 'export')` from 15 on,
   * the bare `EXPORT_SNAPSHOT` keyword from 10, and no word at all on 9.4 to 9.6, which always
   * export one and reject the keyword (`implicit`).
   */
  slotSnapshotSyntax: 'option-list' | 'keyword' | 'implicit';
}

/** `server_version_num` bounds: `min` inclusive, `max` exclusive (absent = no upper bound). */
export interface VersionRange {
  min: number;
  max?: number;
}

export interface VersionPolicy {
  readonly name: string;
  readonly covers: VersionRange;
  capabilities(serverVersionNum: number): VersionCapabilities;
}

export function rangeCovers(range: VersionRange, versionNum: number): boolean {
  return versionNum >= range.min && (range.max === undefined || versionNum < range.max);
}
