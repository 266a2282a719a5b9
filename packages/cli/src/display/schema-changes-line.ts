import type { DatabaseState } from '@pgshift/tasks';

/** The status line about a database's schema changes followed during sync: how many, the latest. */
export function schemaChangesLine(
  database: string,
  changes: NonNullable<DatabaseState['schemaChanges']>,
): string {
  const last = changes.latest[changes.latest.length - 1];
  const latest = last
    ? `; latest ${last.outcome} at ${last.at} (${last.id}): ${oneLine(last.statement)}`
    : '';
  return `schema changes: ${database} ${changes.total}${latest}`;
}

/** A statement on one line, cut to a readable length. */
function oneLine(statement: string): string {
  const flat = statement.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}
