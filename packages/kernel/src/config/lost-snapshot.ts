import type { LostSnapshotChoice, MigrationMode } from '@pgshift/plugin-api';

/**
 * Why a lost-snapshot choice cannot serve a mode, or undefined when it can. `per-table` copies the
 * rest under a new snapshot: while following, rows committed between the slot's point and that
 * snapshot would arrive twice (copied and streamed), so only a full copy may use it.
 */
export function lostSnapshotConflict(mode: MigrationMode, choice: LostSnapshotChoice): string | undefined {
  if (choice === 'per-table' && mode === 'full+incremental')
    return 'per-table cannot be used with mode full+incremental: the tables copied under a later snapshot would also receive, through the slot, the changes committed before it; use restart (or fail)';
  return undefined;
}
