import { createHash } from 'node:crypto';
import { REPLICATION_NAME_PREFIX } from '@pgshift/pg';

/**
 * Slot and publication names: lower-case letters, digits and underscores, at most 63 bytes, unique
 * per task and database (a hash keeps awkward database names apart).
 */
export function replicationName(task: string, database: string): string {
  const taskPart = task
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 32);
  const hash = createHash('sha256').update(`${task}\0${database}`).digest('hex').slice(0, 10);
  return `${REPLICATION_NAME_PREFIX}${taskPart}_${hash}`;
}
