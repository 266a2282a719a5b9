import type { TaskRecord } from '@pgshift/tasks';
import { parse } from 'yaml';

/** Where a task's source or target is, for lists and pages: never a user, password or token. */
export interface EndpointView {
  access: string;
  host?: string;
  port?: number;
  database?: string;
}

export interface TaskEndpoints {
  source?: EndpointView;
  target?: EndpointView;
  /** objects.databases: what the task migrates. */
  databases?: string[];
}

/** Picks only the fields shown: the block's other fields may hold secrets. */
function endpointView(block: unknown): EndpointView | undefined {
  if (typeof block !== 'object' || block === null) return undefined;
  const b = block as Record<string, unknown>;
  if (typeof b.access !== 'string') return undefined;
  const port = typeof b.port === 'number' ? b.port : typeof b.port === 'string' ? Number(b.port) : NaN;
  return {
    access: b.access,
    ...(typeof b.host === 'string' ? { host: b.host } : {}),
    ...(Number.isInteger(port) ? { port } : {}),
    ...(typeof b.database === 'string' ? { database: b.database } : {}),
  };
}

/**
 * The endpoints of a stored task, read from its config text (YAML, of which JSON is a part). A
 * config given as a TS/JS module, or text that does not parse, has none to show.
 */
export function taskEndpoints(record: TaskRecord): TaskEndpoints {
  if (/\.(m|c)?[jt]s$/i.test(record.config.fileName)) return {};
  let config: unknown;
  try {
    config = parse(record.config.text);
  } catch {
    return {};
  }
  if (typeof config !== 'object' || config === null) return {};
  const c = config as Record<string, unknown>;
  const source = endpointView(c.source);
  const target = endpointView(c.target);
  const objects = c.objects as { databases?: unknown } | undefined;
  const databases = Array.isArray(objects?.databases)
    ? objects.databases.filter((d): d is string => typeof d === 'string')
    : undefined;
  return {
    ...(source ? { source } : {}),
    ...(target ? { target } : {}),
    ...(databases ? { databases } : {}),
  };
}
