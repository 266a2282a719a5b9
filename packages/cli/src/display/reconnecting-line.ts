import type { Reconnecting } from '@pgshift/tasks';

/** The line `status` and `task show` print while a run waits for a lost connection to come back. */
export function reconnectingLine(r: Reconnecting): string {
  const doing = r.lost ? 'reconnecting' : 'retrying';
  return `${doing} (attempt ${r.attempt} of ${r.of}, since ${r.since}): ${r.what}; last error: ${r.lastError}`;
}
