import type { MigrationMode } from './selection.js';
import type { ServerVersion } from './server.js';

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

/** Why a source cannot be migrated as configured, and what to do about it. */
export interface PolicyProblem {
  message: string;
  remedy: string;
}

/** The loaded policy that covers a source version: the first whose range holds it. */
export function policyCovering(
  policies: readonly VersionPolicy[],
  versionNum: number,
): VersionPolicy | undefined {
  return policies.find((p) => rangeCovers(p.covers, versionNum));
}

/** The one wording of "no policy covers this source", naming what the loaded policies do cover. */
export function uncoveredSourceProblem(
  version: Pick<ServerVersion, 'num' | 'text'>,
  policies: readonly VersionPolicy[],
): PolicyProblem {
  const covered = policies.map((p) => `${p.name} (${p.covers.min}..${p.covers.max ?? ''})`).join(', ');
  return {
    message: `no version policy covers the source's PostgreSQL ${version.text} (server_version_num ${version.num})`,
    remedy: covered
      ? `add a version-policy plugin covering it to \`plugins\`, or upgrade the source; the loaded ones cover: ${covered}`
      : 'no version-policy plugin is loaded; install one (e.g. the first-party policy plugins) or name one in `plugins`',
  };
}

/** Why the policy's capabilities rule out the chosen mode, or undefined when they allow it. */
export function modeRefusedProblem(
  policy: VersionPolicy,
  version: Pick<ServerVersion, 'num' | 'text'>,
  capabilities: VersionCapabilities,
  mode: MigrationMode,
): PolicyProblem | undefined {
  if (mode !== 'full+incremental' || capabilities.incremental) return undefined;
  return {
    message: `PostgreSQL ${version.text} cannot be followed incrementally: ${capabilities.incrementalUnavailableReason ?? `policy ${policy.name} does not allow it`}`,
    remedy: 'set `mode: full` to copy it once, or upgrade the source',
  };
}
