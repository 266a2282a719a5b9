/** What the parent hands a pgshift child process (JSON in argv[2]); no secrets: trust auth. */
export interface Endpoint {
  host: string;
  port: number;
  user: string;
}

export interface LoadSpec {
  source: Endpoint;
  target: Endpoint;
  database: string;
  jobs: number;
  splitTableBytes: number;
  loaderEntry: string;
}

export interface FollowSpec {
  source: Endpoint;
  target: Endpoint;
  database: string;
  replicatorEntry: string;
  slotName: string;
  publicationName: string;
  tables: { schema: string; name: string }[];
  /** Follow until everything the source committed up to here is applied. */
  drainTo: string;
}

/** What a child prints as its last stdout line. */
export interface ChildResult {
  ok: boolean;
  /** Seconds of the measured phase, inside the child (startup excluded). */
  seconds: number;
  detail?: Record<string, unknown>;
  error?: string;
}

export const RESULT_PREFIX = 'PGSHIFT-BENCH-RESULT ';

export function parseChildResult(output: string): ChildResult | undefined {
  const line = output
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_PREFIX));
  return line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult) : undefined;
}
